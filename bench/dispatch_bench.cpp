// The dispatch benchmark (issue 3): N suspensions queued in a SQLite file, drained by the
// dispatcher against a loopback webhook panel with C calls at once, R times on fresh copies of
// the file; then a bare HttpClient loop (the same body, C requests at once, no store, no
// signing) against the same server, for the ratio. Prints one JSON line, then a summary; beside
// the rates, the CPU each side spent per action (the process's, the panel's included).
//
//   dispatch_bench [--actions N] [--runs R] [--concurrency C]     (20000, 5, 64)
#include <stdlib.h>
#include <sys/resource.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "bench/dispatch_setup.hpp"
#include "bench/loopback_server.hpp"
#include "dispatch/dispatcher.hpp"
#include "net/http_client.hpp"
#include "store/store.hpp"
#include "store/backends/open_store.hpp"

using namespace cobrador;
using namespace cobrador::bench;
namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

// CPU seconds this process has used so far, all threads (the loopback panel's too). On a
// machine others load, the CPU a side spends per action varies far less than its rate.
double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// One side's run: its rate, and the CPU microseconds per action or request.
struct Run {
  double per_s = 0;
  double cpu_us = 0;
};

template <class F>
Run measured(int count, F&& run) {
  const double cpu = cpu_seconds();
  const double per_s = run();
  return {per_s, (cpu_seconds() - cpu) * 1e6 / count};
}

struct Settings {
  int actions = 20'000;
  int runs = 5;
  int concurrency = 64;
};

int number(std::string_view text, std::string_view option) {
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value <= 0) {
    throw std::invalid_argument(fmt::format("{}: '{}' is not a positive number", option, text));
  }
  return value;
}

Settings parse_arguments(int argc, char** argv) {
  Settings settings;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string_view option = argv[i];
    const int value = number(argv[i + 1], option);
    if (option == "--actions")
      settings.actions = value;
    else if (option == "--runs")
      settings.runs = value;
    else if (option == "--concurrency")
      settings.concurrency = value;
    else
      throw std::invalid_argument(fmt::format("unknown option {}", option));
  }
  return settings;
}

// Actions per second of one drain of a fresh copy of the prepared file.
double dispatch_run(const fs::path& prepared, const fs::path& copy, const std::string& url, const Settings& s,
                    Instant now) {
  fs::copy_file(prepared, copy, fs::copy_options::overwrite_existing);
  const auto store = store::open_store(copy.string());
  const auto drained = drain(*store, url, s.concurrency, "bench", now);
  if (drained.counts.done != s.actions) {
    throw std::runtime_error(fmt::format("{} of {} actions done", drained.counts.done, s.actions));
  }
  return drained.counts.done / drained.seconds;
}

// Requests per second of a bare HttpClient loop: the same body, `concurrency` at once.
double bare_run(const std::string& url, const Settings& s) {
  boost::asio::io_context io;
  net::HttpClient http(io);
  const std::string body = suspend_payload(1);
  int started = 0;
  int finished = 0;
  std::function<void()> next = [&] {
    if (started == s.actions) return;
    ++started;
    net::HttpRequest request;
    request.method = "POST";
    request.url = url + "/hook";
    request.body = body;
    request.headers = {{"Content-Type", "application/json"}};
    http.perform(std::move(request), [&](net::HttpResponse response) {
      if (!response.ok() || response.status != 200)
        throw std::runtime_error("bare request failed: " + response.error);
      ++finished;
      next();
    });
  };
  const auto begun = Clock::now();
  for (int i = 0; i < s.concurrency; ++i) next();
  io.run();
  const std::chrono::duration<double> took = Clock::now() - begun;
  return finished / took.count();
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const auto n = values.size();
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

}  // namespace

int main(int argc, char** argv) try {
  const auto settings = parse_arguments(argc, argv);
  std::string scratch = (fs::temp_directory_path() / "cobrador-dispatch-bench-XXXXXX").string();
  if (!mkdtemp(scratch.data())) throw std::runtime_error("mkdtemp failed");
  const fs::path dir = scratch;
  const Instant now = *parse_instant("2026-03-03T12:00:00Z");
  prepare(dir / "prepared.db", settings.actions, now);

  bench::LoopbackServer server;
  std::vector<double> dispatched;
  std::vector<double> bare;
  std::vector<double> dispatched_cpu;
  std::vector<double> bare_cpu;
  // Alternated, so that both see the same machine: this box is shared, and its load drifts.
  for (int run = 0; run < settings.runs; ++run) {
    const auto d = measured(settings.actions, [&] {
      return dispatch_run(dir / "prepared.db", dir / "run.db", server.url(), settings, now);
    });
    const auto b = measured(settings.actions, [&] { return bare_run(server.url(), settings); });
    dispatched.push_back(d.per_s);
    bare.push_back(b.per_s);
    dispatched_cpu.push_back(d.cpu_us);
    bare_cpu.push_back(b.cpu_us);
    std::cerr << fmt::format(
        "run {}: dispatch {:.0f} actions/s ({:.0f} CPU us each), "
        "bare HttpClient {:.0f} requests/s ({:.0f} CPU us each)\n",
        run + 1, d.per_s, d.cpu_us, b.per_s, b.cpu_us);
  }
  fs::remove_all(dir);
  const double d = median(dispatched);
  const double b = median(bare);
  std::cout << nlohmann::json{{"actions", settings.actions},
                              {"runs", settings.runs},
                              {"concurrency", settings.concurrency},
                              {"dispatch_per_s", dispatched},
                              {"bare_per_s", bare},
                              {"dispatch_median", d},
                              {"bare_median", b},
                              {"ratio", d / b},
                              {"dispatch_cpu_us", dispatched_cpu},
                              {"bare_cpu_us", bare_cpu},
                              {"cpu_ratio", median(bare_cpu) / median(dispatched_cpu)}}
                   .dump()
            << '\n';
  std::cout << fmt::format(
      "dispatch: median {:.0f} actions/s; bare HttpClient: median {:.0f} requests/s; ratio {:.2f}; CPU per "
      "action {:.0f} us, per bare request {:.0f} us (ratio {:.2f})\n",
      d, b, d / b, median(dispatched_cpu), median(bare_cpu), median(bare_cpu) / median(dispatched_cpu));
  return 0;
} catch (const std::exception& e) {
  std::cerr << "dispatch_bench: " << e.what() << '\n';
  return 1;
}
