// Crash loop of `cobradorctl import` (issue 19): a file of invoices imported by a real process
// that is killed (SIGKILL) at a random moment, again and again, then imported to the end. The
// import writes in chunks, each its own transaction, in file order: after every kill the
// invoices in the database are exactly the first K rows of the file, each as the file says;
// after the last run every row is there exactly once, with one audit row each, and importing
// once more changes nothing. On a SQLite file and on PostgreSQL ([crash] is in
// COBRADOR_PG_TAGS).
#include <catch2/catch.hpp>

#include <random>

#include <fmt/format.h>

#include "integration/crash/crash_loop.hpp"

using namespace cobrador::testing;

namespace csv_import_crash_test {

constexpr int kCustomers = 200;
// Sized so that the kills land while the file is being written, on either store (PostgreSQL
// writes its first chunk about 0.5 s after the start on the shared 2-core machine).
int invoice_count() { return crash_loop::sized(testing_postgresql() ? 6000 : 20000); }

constexpr const char* kNow = "2026-03-01T12:00:00Z";

// Invoice n (1-based): id i000n, amount (n % 997).90, due day 1 to 28 of January 2099 (nothing
// overdue, so that the import sets nothing else in motion).
std::string invoices_csv(int invoices) {
  std::string csv = "id,customer_id,amount,currency,due_on\n";
  for (int n = 1; n <= invoices; ++n)
    csv += fmt::format("i{:06},c{},{}.90,BRL,2099-01-{:02}\n", n, n % kCustomers + 1, n % 997, n % 28 + 1);
  return csv;
}

// Invoices whose amount is not what row n of the file says.
constexpr const char* kWrongAmounts =
    "SELECT COUNT(*) FROM invoices WHERE amount <> (CAST(substr(ext_id, 2) AS INTEGER) % 997) * 100 + 90";

}  // namespace csv_import_crash_test

TEST_CASE("crash loop: cobradorctl import killed at random moments imports every row exactly once",
          "[crash][cli]") {
  using namespace csv_import_crash_test;
  const auto seed = crash_loop::seed();
  INFO("COBRADOR_CRASH_SEED=" << seed << (testing_postgresql() ? " on PostgreSQL" : " on SQLite"));
  std::mt19937_64 random(seed);
  const int invoice_total = invoice_count();

  crash_loop::Site site(read_file(std::string(COBRADOR_SOURCE_DIR) + "/etc/policy.yaml"));
  std::string customers = "id,name,email\n";
  for (int c = 1; c <= kCustomers; ++c) customers += fmt::format("c{0},Customer {0},c{0}@example.com\n", c);
  site.import("customers", customers, kNow);
  const auto file = site.dir().write("invoices.csv", invoices_csv(invoice_total)).string();
  const auto argv = site.argv({"import", "invoices", file});

  long long before = 0;
  const auto tally = crash_loop::kill_loop(
      random, site, argv,
      [](int) {
        return std::map<std::string, std::string>{{"COBRADOR_NOW", kNow}};
      },
      std::chrono::milliseconds(testing_postgresql() ? 1500 : 800),
      [&](int i) {
        // Whole chunks in file order: the rows imported are the first K, each as written.
        const auto rows = query(site.database(), "SELECT COUNT(*), COALESCE(MAX(ext_id), '') FROM invoices");
        const auto count = std::stoll(rows.at(0).at(0));
        INFO("after kill " << i << ": " << count << " invoices, the last " << rows.at(0).at(1));
        CHECK(count >= before);
        CHECK(rows.at(0).at(1) == (count == 0 ? "" : fmt::format("i{:06}", count)));
        CHECK(site.value(kWrongAmounts) == "0");
        before = count;
      });
  INFO("killed " << tally.killed << ", ended before the kill " << tally.finished << "; delays (ms) "
                 << tally.delays << "; invoices before the last run " << before);

  const auto last = site.ctl({"--json", "import", "invoices", file}, kNow);
  INFO(last.err);
  REQUIRE(last.exit_code == 0);
  CHECK(site.value("SELECT COUNT(*) FROM invoices") == std::to_string(invoice_total));
  CHECK(site.value("SELECT COUNT(DISTINCT ext_id) FROM invoices") == std::to_string(invoice_total));
  CHECK(site.value(kWrongAmounts) == "0");
  CHECK(site.value("SELECT COUNT(*) FROM invoices i JOIN customers c ON c.id = i.customer_id WHERE "
                   "c.ext_id <> 'c' || ((CAST(substr(i.ext_id, 2) AS INTEGER) % " +
                   std::to_string(kCustomers) + ") + 1)") == "0");
  // One audit row per invoice: a chunk written again after a kill wrote nothing twice.
  CHECK(site.value("SELECT COUNT(*) FROM audit WHERE event = 'invoice_created'") ==
        std::to_string(invoice_total));
  CHECK(site.value(
            "SELECT COUNT(*) FROM audit WHERE event LIKE 'invoice_%' AND event <> 'invoice_created'") == "0");

  // And once more: nothing changes.
  const auto audit = site.value("SELECT COUNT(*) FROM audit");
  const auto again = site.ctl({"import", "invoices", file}, kNow);
  REQUIRE(again.exit_code == 0);
  CHECK(site.value("SELECT COUNT(*) FROM audit") == audit);
  CHECK(site.value("SELECT COUNT(*) FROM invoices") == std::to_string(invoice_total));
}
