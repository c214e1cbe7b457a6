// cobradorctl run as a real process on a real database (either store): imports, errors that name their
// place, walks, show and audit, the way an operator uses them.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "integration/site/cli_site.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"
#include "support/test_database.hpp"

using namespace cobrador;
using namespace cobrador::testing;

namespace {

using Ctl = CliSite;

const char* kCustomers =
    "id,name,email,phone,locale,customer_since,tags\nc1,Ana,ana@example.com,,pt-BR,2024-01-10,\n";
const char* kInvoices =
    "id,customer_id,services,amount,currency,issued_on,due_on,status\ni1,c1,,49.90,BRL,2026-02-20,2026-03-02,"
    "open\n";

}  // namespace

// A good import reports its counts, and importing the same file again changes nothing.
TEST_CASE("cobradorctl import is idempotent", "[cli]") {
  Ctl ctl;
  const auto customers = ctl.file("customers.csv", kCustomers);
  auto first = ctl.run({"import", "customers", customers});
  CHECK(first.exit_code == 0);
  CHECK(first.out == customers + ": 1 rows: 1 new, 0 updated, 0 unchanged\n");
  const auto again = ctl.run({"--json", "import", "customers", customers});
  CHECK(again.exit_code == 0);
  CHECK(nlohmann::json::parse(again.out)["unchanged"] == 1);
  const auto audit = nlohmann::json::parse(ctl.run({"--json", "audit", "c1"}).out);
  CHECK(audit.size() == 1);  // the second import wrote nothing, not even an audit row
}

// A bad row names the file, the row and the field, and nothing of the file is imported.
TEST_CASE("a bad import row is one clear message and nothing is written", "[cli]") {
  Ctl ctl;
  REQUIRE(ctl.run({"import", "customers", ctl.file("customers.csv", kCustomers)}).exit_code == 0);
  const auto invoices = ctl.file("invoices.csv",
                                 "id,customer_id,amount,currency,due_on\n"
                                 "i1,c1,49.90,BRL,2026-03-02\n"
                                 "i2,c1,49,90,BRL,2026-03-02\n");
  auto bad = ctl.run({"import", "invoices", invoices});
  CHECK(bad.exit_code == 1);
  CHECK(bad.err == "cobradorctl: " + invoices + ":3: 6 fields where the header has 5\n");

  const auto amounts = ctl.file("amounts.csv",
                                "id,customer_id,amount,currency,due_on\n"
                                "i1,c1,49.90,BRL,2026-03-02\n"
                                "i2,c1,49.901,BRL,2026-02-30\n");
  bad = ctl.run({"import", "invoices", amounts});
  CHECK(bad.exit_code == 1);
  CHECK(bad.err == "cobradorctl: " + amounts +
                       ":3: amount: '49.901' is not an amount in BRL: BRL has 2 decimal places\n" + amounts +
                       ":3: due_on: '2026-02-30' is not a date in the form YYYY-MM-DD\n");

  const auto unknown =
      ctl.file("unknown.csv", "id,customer_id,amount,currency,due_on\ni1,c9,49.90,BRL,2026-03-02\n");
  bad = ctl.run({"import", "invoices", unknown});
  CHECK(bad.err == "cobradorctl: " + unknown + ":2: customer_id: no customer 'c9'\n");

  const auto column = ctl.file("column.csv", "id,customer,amount,currency,due_on\n");
  bad = ctl.run({"import", "invoices", column});
  CHECK(bad.err ==
        "cobradorctl: " + column +
            ":1: column 'customer' is unknown (allowed: id, customer_id, amount, currency, due_on, "
            "services, issued_on, status)\n");

  const auto jsonl =
      ctl.file("invoices.jsonl",
               "{\"id\": \"i1\", \"customer_id\": \"c1\", \"amount\": \"49.90\", \"currency\": \"BRL\", "
               "\"due_on\": \"2026-03-02\"}\n{\"id\": \"i2\", \"customer_id\": \"c1\", \"amount\": 49.9}\n");
  bad = ctl.run({"import", "invoices", jsonl});
  CHECK(bad.err == "cobradorctl: " + jsonl + ":2: amount: must be a string (amounts too: \"49.90\")\n");

  // None of the bad files left a trace: the customer still has no invoice.
  const auto shown = nlohmann::json::parse(ctl.run({"--json", "show", "customer", "c1"}).out);
  CHECK(shown["balance"].empty());
}

// A broken policy stops the command with the place of the problem.
TEST_CASE("a bad policy file is one clear message naming line and column", "[cli]") {
  Ctl ctl;
  const auto policy = ctl.file("policy.yaml",
                               "timezone: UTC\nstages:\n  - name: r\n    when: { days_overdue: 3 }\n"
                               "    notify: [email]\n    templat: payment_reminder\n");
  const auto result = ctl.run({"walk", "--date", "2026-03-05"});
  CHECK(result.exit_code == 1);
  CHECK(result.err == "cobradorctl: " + policy + ":3:5: stages[0].template: required key is missing\n" +
                          policy + ":6:5: unknown key 'templat' in stages[0]\n");
}

// walk, its dry run, show and simulate agree on what happens to an overdue customer.
TEST_CASE("walk, dry run, show and simulate", "[cli]") {
  Ctl ctl;
  REQUIRE(ctl.run({"import", "customers", ctl.file("customers.csv", kCustomers)}).exit_code == 0);
  REQUIRE(ctl.run({"import", "invoices", ctl.file("invoices.csv", kInvoices)}).exit_code == 0);

  const auto timeline =
      nlohmann::json::parse(ctl.run({"--json", "simulate", "--from", "2026-03-01", "--days", "10"}).out);
  std::vector<std::string> actions;
  for (const auto& e : timeline) {
    if (e["event"] == "action")
      actions.push_back(e["date"].get<std::string>() + " " + e["detail"].get<std::string>());
  }
  CHECK(actions == std::vector<std::string>{"2026-03-05 notify email:ana@example.com",
                                            "2026-03-06 notify email:ana@example.com",
                                            "2026-03-09 notify email:ana@example.com"});

  const auto dry =
      nlohmann::json::parse(ctl.run({"--json", "walk", "--date", "2026-03-05", "--dry-run"}).out);
  CHECK(dry["actions"] == 1);
  const auto real = nlohmann::json::parse(ctl.run({"--json", "walk", "--date", "2026-03-05"}).out);
  CHECK(real["actions"] == 1);
  CHECK(real["stages_run"]["reminder"] == 1);
  const auto again = nlohmann::json::parse(ctl.run({"--json", "walk", "--date", "2026-03-05"}).out);
  CHECK(again["actions"] == 0);

  const auto shown =
      nlohmann::json::parse(ctl.run({"--json", "show", "customer", "c1"}, "2026-03-05T12:00:00Z").out);
  CHECK(shown["current_stage"] == "reminder");
  CHECK(shown["days_overdue"] == 3);
  CHECK(shown["balance"]["BRL"] == "49.90");
  CHECK(shown["next_action"]["date"] == "2026-03-06");

  const auto missing = ctl.run({"show", "customer", "nobody"});
  CHECK(missing.exit_code == 1);
  CHECK(missing.err == "cobradorctl: no customer 'nobody'\n");
}
