// A long `cobradorctl import` does not starve the daemon (issue 19, point 5): the import writes
// in chunks, and an API write sent while it runs is applied and answered while the import is
// still going, not after it (SQLite lets one writer in at a time; the daemon's write gets in
// between two chunks). Real processes on a real database, real HTTP on 127.0.0.1.
#include <catch2/catch.hpp>

#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "integration/http/http_test_client.hpp"
#include "support/background_process.hpp"
#include "support/process.hpp"
#include "support/sanitized.hpp"
#include "support/temp_dir.hpp"
#include "support/test_database.hpp"

using namespace cobrador;
using namespace cobrador::testing;
using namespace std::chrono_literals;

namespace import_beside_api_test {

constexpr int kCustomers = 1000;
// Seconds of importing in either build: 60,000 rows took over 290 s under ASan (clang, -O0,
// a loaded 2-core machine) and timed out, a tenth of them is still several chunks.
constexpr int kInvoices = kSanitized ? 6000 : 60000;

unsigned short port_from(const std::filesystem::path& log) {
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (std::chrono::steady_clock::now() < deadline) {
    const auto text = read_file(log);
    const auto at = text.find("HTTP API listening on port ");
    if (at != std::string::npos) return static_cast<unsigned short>(std::stoi(text.substr(at + 27)));
    std::this_thread::sleep_for(20ms);
  }
  FAIL("no listening line in " << read_file(log));
  return 0;
}

TEST_CASE("an API write during a long cobradorctl import is applied while the import runs", "[http]") {
  TempDir dir;
  dir.write("policy.yaml", read_file(std::string(COBRADOR_SOURCE_DIR) + "/etc/policy.yaml"));
  const auto token = dir.write("billing.token", "tok-billing-0123456789\n");
  std::filesystem::permissions(token,
                               std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  std::filesystem::create_directories(dir / "var");
  const auto database = fresh_database(dir / "var");
  const auto config =
      dir.write(
             "cobrador.yaml",
             fmt::format(
                 "database: \"{}\"\npolicy: policy.yaml\ntemplates: {}/etc/templates\nlisten: 127.0.0.1:0\n"
                 "api_clients:\n  billing: {{ token_file: billing.token, scopes: [billing] }}\n",
                 database, COBRADOR_SOURCE_DIR))
          .string();
  const auto ctl = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {COBRADORCTL_PATH, "-c", config});
    return run_process(args, {});
  };
  std::string customers = "id,name\n";
  for (int i = 1; i <= kCustomers; ++i) customers += fmt::format("c{0},Customer {0}\n", i);
  REQUIRE(ctl({"import", "customers", dir.write("customers.csv", customers).string()}).exit_code == 0);
  std::string invoices = "id,customer_id,amount,currency,due_on\n";
  for (int i = 1; i <= kInvoices; ++i)
    invoices += fmt::format("i{},c{},49.90,BRL,2099-01-{:02}\n", i, i % kCustomers + 1, i % 28 + 1);
  const auto file = dir.write("invoices.csv", invoices);

  BackgroundProcess daemon({COBRADORD_PATH, "-c", config}, {}, dir / "daemon.log");
  const auto port = port_from(dir / "daemon.log");

  BackgroundProcess import({COBRADORCTL_PATH, "-c", config, "import", "invoices", file.string()}, {},
                           dir / "import.log");
  // The first chunk is in: the import is writing.
  while (count_rows(database, "invoices") == "0" && import.running()) std::this_thread::sleep_for(5ms);
  REQUIRE(import.running());

  const auto reply = http_request(
      "PUT", fmt::format("http://127.0.0.1:{}/v1/customers/c7", port),
      R"({"id": "c7", "name": "Customer Seven"})",
      {{"Authorization", "Bearer tok-billing-0123456789"}, {"Content-Type", "application/json"}});
  INFO(reply.body << read_file(dir / "daemon.log"));
  CHECK(reply.status == 200);
  // Answered between two chunks, not after the whole file.
  CHECK(import.running());

  const auto exit_code = import.wait_for(300s);
  INFO(read_file(dir / "import.log"));
  REQUIRE(exit_code == 0);
  CHECK(count_rows(database, "invoices") == std::to_string(kInvoices));
  CHECK(query(database, "SELECT name FROM customers WHERE ext_id = 'c7'").at(0).at(0) == "Customer Seven");
}

}  // namespace import_beside_api_test
