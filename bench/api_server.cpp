// The HTTP API benchmark's server side (bench/http_bench.sh runs it). Three verbs:
//   api_server prepare DIR INVOICES   a config, secrets, policy and a database of INVOICES
//                                     customers with one open invoice each (due in 2030)
//   api_server sign DIR FILE COUNT    COUNT payment requests signed now by the bank source,
//                                     one a line: webhook-id TAB timestamp TAB signature TAB body
//                                     (each a new payment of 0.01 on invoice i-(n % INVOICES))
//   api_server serve DIR              the http::Server on DIR/cobrador.yaml until SIGINT/SIGTERM
//   api_server fsync-probe DIR        the disk alone: 64 KiB written and fdatasync'ed for 3 s,
//                                     p50 and p99 — the floor under every durable commit
// The payments are signed ahead because wrk's Lua has no HMAC; the server verifies each one
// exactly as it would a bank's.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <vector>

#include <fmt/format.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include "config/config.hpp"
#include "daemon/http_server.hpp"
#include "http/server.hpp"
#include "service/billing.hpp"
#include "store/store.hpp"
#include "util/clock.hpp"
#include "util/crypto.hpp"
#include "util/standard_webhooks.hpp"
#include "store/backends/open_store.hpp"

using namespace cobrador;

namespace {

namespace fs = std::filesystem;

const std::string kSecret = "whsec_YmVuY2gtYmFuay1zZWNyZXQtMDEyMzQ1Njc4OWFi";

void write(const fs::path& file, const std::string& text) {
  fs::create_directories(file.parent_path());
  std::ofstream out(file, std::ios::binary);
  out << text;
}

int prepare(const fs::path& dir, int invoices) {
  fs::remove_all(dir);
  write(dir / "secrets/bank.secret", kSecret + "\n");
  write(dir / "secrets/billing.token", "bench-billing-token\n");
  fs::copy_file(fs::path(COBRADOR_SOURCE_DIR) / "etc/policy.yaml", dir / "policy.yaml");
  write(dir / "cobrador.yaml",
        "database: cobrador.db\nlisten: \"127.0.0.1:18417\"\npolicy: policy.yaml\n"
        "api_clients:\n  billing: { token_file: secrets/billing.token, scopes: [billing] }\n"
        "webhook_sources:\n  bank: { secret_file: secrets/bank.secret, confirms_payments: true }\n"
        "http: { max_connections: 1024 }\n");
  auto store = store::open_store((dir / "cobrador.db").string());
  const service::Origin origin{"billing", "bench"};
  const Instant now = clock::now();
  store::in_transaction(*store, [&] {
    for (int i = 0; i < invoices; ++i) {
      Customer c;
      c.ext_id = fmt::format("c-{}", i);
      c.name = fmt::format("Customer {}", i);
      c.emails = {fmt::format("c{}@example.com", i)};
      (void)service::put_customer(*store, c, now, origin);
      Invoice inv;
      inv.ext_id = fmt::format("i-{}", i);
      inv.customer_ext_id = c.ext_id;
      inv.amount = *parse_money("1000.00", *Currency::parse("BRL"));
      inv.issued_on = *parse_date("2030-01-01");
      inv.due_on = *parse_date("2030-01-10");
      (void)service::put_invoice(*store, inv, now, origin);
    }
  });
  std::cerr << fmt::format("prepared {} with {} invoices\n", dir.string(), invoices);
  return 0;
}

int sign(const fs::path& dir, const fs::path& file, long count) {
  const auto invoices = store::open_store((dir / "cobrador.db").string())->count_customers();
  const auto run = crypto::to_hex(crypto::random_bytes(4));
  const auto now = clock::now();
  std::ofstream out(file, std::ios::binary);
  for (long n = 0; n < count; ++n) {
    const auto body = fmt::format(
        R"({{"id":"p-{}-{}","invoice_id":"i-{}","amount":"0.01","currency":"BRL","method":"pix","status":"confirmed","received_on":"2026-03-05"}})",
        run, n, n % invoices);
    const auto headers = webhooks::make_headers(kSecret, fmt::format("msg-{}-{}", run, n), now, body);
    out << headers->id << '\t' << headers->timestamp << '\t' << headers->signature << '\t' << body << '\n';
  }
  return 0;
}

int serve(const fs::path& dir) {
  auto config = config::load_config((dir / "cobrador.yaml").string());
  if (!config) throw std::runtime_error(config.error().message);
  auto policy = policy::load_policy(config->policy);
  if (!policy) throw std::runtime_error(policy.error().message);
  auto server =
      daemon::create_http_server(*config, std::make_shared<const policy::Policy>(std::move(*policy)));
  if (!server) throw std::runtime_error(server.error().message);
  boost::asio::io_context io(1);
  if (auto started = (*server)->start(io); !started) throw std::runtime_error(started.error().message);
  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](boost::system::error_code, int) {
    (*server)->stop();
    io.stop();
  });
  std::cerr << fmt::format("listening on {}\n", config->listen);
  io.run();
  server->reset();
  return 0;
}

int fsync_probe(const fs::path& dir) {
  fs::create_directories(dir);
  const auto file = (dir / "fsync-probe").string();
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) throw std::runtime_error("cannot write " + file);
  const std::string block(64 * 1024, 'x');
  std::vector<double> ms;
  const auto start = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() - start < std::chrono::seconds{3}) {
    const auto t0 = std::chrono::steady_clock::now();
    if (::write(fd, block.data(), block.size()) < 0 || ::fdatasync(fd) != 0)
      throw std::runtime_error("write failed");
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }
  ::close(fd);
  fs::remove(file);
  std::sort(ms.begin(), ms.end());
  std::cout << fmt::format("fdatasync of 64 KiB: p50 {:.2f} ms, p99 {:.2f} ms ({} in 3 s)\n",
                           ms[ms.size() / 2], ms[ms.size() * 99 / 100], ms.size());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const std::string verb = argc > 1 ? argv[1] : "";
    if (verb == "prepare" && argc == 4) return prepare(argv[2], std::stoi(argv[3]));
    if (verb == "sign" && argc == 5) return sign(argv[2], argv[3], std::stol(argv[4]));
    if (verb == "serve" && argc == 3) return serve(argv[2]);
    if (verb == "fsync-probe" && argc == 3) return fsync_probe(argv[2]);
  } catch (const std::exception& e) {
    std::cerr << "api_server: " << e.what() << '\n';
    return 1;
  }
  std::cerr << "usage: api_server prepare DIR INVOICES | sign DIR FILE COUNT | serve DIR | fsync-probe DIR\n";
  return 2;
}
