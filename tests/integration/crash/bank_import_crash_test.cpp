// Crash loop of `cobradorctl bank import` (issue 19): a generated statement (cobrador CSV: a
// credit naming each invoice, some credits naming none, some plain debits) imported by a real
// process killed (SIGKILL) at a random moment, again and again, then imported to the end. The
// import is one transaction: after every kill the statement is in the database whole or not at
// all; after the last run every entry is recorded once, every invoice is paid exactly once by
// its credit (balances zero, no second payment), and importing the statement again records
// nothing. On a SQLite file and on PostgreSQL.
#include <catch2/catch.hpp>

#include <random>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "integration/crash/crash_loop.hpp"

using namespace cobrador::testing;

namespace bank_import_crash_test {

constexpr int kCustomers = 200;
// Sized so that an import takes about a second on a 2-core machine: a SQLite file is written
// faster than a PostgreSQL database over its socket, one statement at a time.
int invoice_count() { return crash_loop::sized(testing_postgresql() ? 4000 : 12000); }
constexpr const char* kNow = "2026-03-10T12:00:00Z";

// Invoice n (1-based): id INV-n, amount (n % 997).90, open, due in March.
std::string amount_of(int n) { return fmt::format("{}.90", n % 997); }

// A credit for each invoice naming it (half of them with the bank's id, half identified by
// their content), interleaved with the strays and the debits.
std::string statement_csv(int invoices) {
  std::string csv = "date,amount,currency,reference,description,id\n";
  for (int n = 1; n <= invoices; ++n) {
    csv += fmt::format("2026-03-09,{},BRL,INV-{},PIX fatura,{}\n", amount_of(n), n,
                       n % 2 ? fmt::format("E{:012}", n) : "");
    if (n % 40 == 0) {
      const int k = n / 40;
      csv += fmt::format("2026-03-09,0.01,BRL,,Deposito {},S{:08}\n", k, k);
      csv += fmt::format("2026-03-09,-{0}.00,BRL,,Tarifa {1},D{1:08}\n", k % 50 + 1, k);
    }
  }
  return csv;
}

}  // namespace bank_import_crash_test

TEST_CASE("crash loop: cobradorctl bank import killed at random moments pays every invoice once",
          "[crash][bank]") {
  using namespace bank_import_crash_test;
  const int invoice_total = invoice_count();
  const int strays = invoice_total / 40;  // credits of 0.01 that name no invoice: unmatched
  const int debits = invoice_total / 40;  // plain debits: recorded as ignored
  const int entry_total = invoice_total + strays + debits;
  const auto seed = crash_loop::seed();
  INFO("COBRADOR_CRASH_SEED=" << seed << (testing_postgresql() ? " on PostgreSQL" : " on SQLite"));
  std::mt19937_64 random(seed);

  crash_loop::Site site(read_file(std::string(COBRADOR_SOURCE_DIR) + "/etc/policy.yaml"));
  std::string customers = "id,name,email\n";
  for (int c = 1; c <= kCustomers; ++c) customers += fmt::format("c{0},Customer {0},c{0}@example.com\n", c);
  site.import("customers", customers, kNow);
  std::string invoices = "id,customer_id,amount,currency,issued_on,due_on\n";
  for (int n = 1; n <= invoice_total; ++n)
    invoices += fmt::format("INV-{},c{},{},BRL,2026-03-01,2026-03-20\n", n, n % kCustomers + 1, amount_of(n));
  site.import("invoices", invoices, kNow);
  const auto invoiced = site.value("SELECT SUM(amount) FROM invoices");
  const auto file = site.dir().write("extrato.csv", statement_csv(invoice_total)).string();
  const auto argv = site.argv({"bank", "import", file, "--source", "crash"});

  const auto tally = crash_loop::kill_loop(
      random, site, argv,
      [](int) {
        return std::map<std::string, std::string>{{"COBRADOR_NOW", kNow}};
      },
      std::chrono::milliseconds(600),
      [&](int i) {
        // One transaction: all of the statement or none of it.
        const auto entries = site.number("SELECT COUNT(*) FROM bank_entries");
        INFO("after kill " << i << ": " << entries << " bank entries");
        CHECK((entries == 0 || entries == entry_total));
        CHECK(site.number("SELECT COUNT(*) FROM payments") == (entries == 0 ? 0 : invoice_total));
        CHECK(site.number("SELECT COUNT(*) FROM bank_imports") == (entries == 0 ? 0 : 1));
      });
  INFO("killed " << tally.killed << ", ended before the kill " << tally.finished << "; delays (ms) "
                 << tally.delays);

  const auto last = site.ctl({"--json", "bank", "import", file, "--source", "crash"}, kNow);
  INFO(last.err);
  REQUIRE(last.exit_code == 0);
  CHECK(site.number("SELECT COUNT(*) FROM bank_entries") == entry_total);
  CHECK(site.number("SELECT COUNT(DISTINCT identity) FROM bank_entries") == entry_total);
  CHECK(site.number("SELECT COUNT(*) FROM bank_entries WHERE outcome = 'matched'") == invoice_total);
  CHECK(site.number("SELECT COUNT(*) FROM bank_entries WHERE outcome = 'unmatched'") == strays);
  CHECK(site.number("SELECT COUNT(*) FROM bank_entries WHERE outcome = 'ignored'") == debits);
  CHECK(site.number("SELECT COUNT(*) FROM bank_imports") == 1);
  // Every invoice paid exactly once, by its own credit, to the cent.
  CHECK(site.number("SELECT COUNT(*) FROM payments") == invoice_total);
  CHECK(site.number("SELECT COUNT(*) FROM payments WHERE status = 'confirmed'") == invoice_total);
  CHECK(site.number("SELECT COUNT(*) FROM invoices i WHERE (SELECT COUNT(*) FROM payments p WHERE "
                    "p.invoice_id = i.id) <> 1") == 0);
  CHECK(site.number("SELECT COUNT(*) FROM invoices i WHERE (SELECT SUM(p.amount) FROM payments p WHERE "
                    "p.invoice_id = i.id AND p.status = 'confirmed') <> i.amount") == 0);
  CHECK(site.number("SELECT COUNT(*) FROM bank_entries b JOIN invoices i ON i.id = b.invoice_id WHERE "
                    "b.outcome = 'matched' AND b.refs NOT LIKE '%' || i.ext_id || '%'") == 0);
  CHECK(site.value("SELECT SUM(amount) FROM payments") == invoiced);
  CHECK(site.number("SELECT COUNT(*) FROM alerts WHERE kind = 'unmatched_payment'") == strays);
  CHECK(site.number("SELECT COUNT(*) FROM audit WHERE event = 'bank_statement_imported'") == 1);
  CHECK(site.number("SELECT COUNT(*) FROM audit WHERE event = 'payment_created'") == invoice_total);
  CHECK(site.number(
            "SELECT COUNT(*) FROM audit WHERE event LIKE 'payment_%' AND event <> 'payment_created'") == 0);

  // The statement again: every entry already imported, nothing written.
  const auto again = site.ctl({"--json", "bank", "import", file, "--source", "crash"}, kNow);
  INFO(again.err);
  REQUIRE(again.exit_code == 0);
  CHECK(nlohmann::json::parse(again.out)["already_imported"] == entry_total);
  CHECK(site.number("SELECT COUNT(*) FROM payments") == invoice_total);
  CHECK(site.number("SELECT COUNT(*) FROM bank_entries") == entry_total);
}
