// The scale-out benchmark's pieces (issue 9), each a verb so that bench/scale_bench.sh can run
// several dispatchers as separate processes on one PostgreSQL database:
//   scale_bench serve                         a loopback webhook panel; prints its URL, runs until killed
//   scale_bench prepare DATABASE N            N customers with a suspension due now (SQLite or URI)
//   scale_bench drain DATABASE URL OWNER C    drains the outbox against the panel at URL, C calls at
//                                             once; prints one JSON line (done, seconds)
//   scale_bench copy SQLITE_FILE URI          copies a SQLite book into an empty PostgreSQL database
#include <chrono>
#include <csignal>
#include <iostream>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "bench/dispatch_setup.hpp"
#include "bench/loopback_server.hpp"
#include "store/backends/copy_database.hpp"
#include "store/store.hpp"
#include "store/backends/open_store.hpp"

using namespace cobrador;

namespace {

// Everything the verbs do happens "now" for the outbox: the actions are due, none backs off.
const Instant kNow = *parse_instant("2026-03-03T12:00:00Z");

int serve() {
  bench::LoopbackServer server;
  std::cout << server.url() << std::endl;
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);
  int signal = 0;
  sigwait(&stop, &signal);
  std::cerr << fmt::format("loopback panel: {} requests\n", server.requests());
  return 0;
}

int drain(const std::string& database, const std::string& url, const std::string& owner, int concurrency) {
  const auto store = store::open_store(database, {"", owner});
  const auto drained = bench::drain(*store, url, concurrency, owner, kNow);
  std::cout
      << nlohmann::json{{"owner", owner}, {"done", drained.counts.done}, {"seconds", drained.seconds}}.dump()
      << '\n';
  return 0;
}

int copy(const std::string& file, const std::string& uri) {
  const auto report = store::copy_sqlite_to_postgresql(file, {uri, "", "scale_bench copy"});
  if (!report) {
    std::cerr << report.error().message << '\n';
    return 1;
  }
  std::cerr << fmt::format("copied {} rows\n", report->total_rows());
  return 0;
}

}  // namespace

int main(int argc, char** argv) try {
  const std::string verb = argc > 1 ? argv[1] : "";
  if (verb == "serve" && argc == 2) return serve();
  if (verb == "prepare" && argc == 4) {
    bench::prepare(argv[2], std::stoi(argv[3]), kNow);
    return 0;
  }
  if (verb == "drain" && argc == 6) return drain(argv[2], argv[3], argv[4], std::stoi(argv[5]));
  if (verb == "copy" && argc == 4) return copy(argv[2], argv[3]);
  std::cerr << "usage: scale_bench serve | prepare DATABASE N | drain DATABASE URL OWNER CONCURRENCY | "
               "copy SQLITE_FILE URI\n";
  return 2;
} catch (const std::exception& e) {
  std::cerr << "scale_bench: " << e.what() << '\n';
  return 1;
}
