// A service's recurring price (recurring_amount + recurring_currency, issue 18 point 7) through
// the real `cobradorctl import services` on a real database (either store): CSV and JSON lines
// round-trip into the store, an absent price stays unknown, and every bad value is refused with
// FILE:ROW: field: problem and nothing of the file written.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "store/backends/open_store.hpp"
#include "integration/site/cli_site.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"
#include "support/test_database.hpp"

using namespace cobrador;
using namespace cobrador::testing;

// A named namespace, not an anonymous one: the tests build in unity batches.
namespace recurring_amount_import_test {

struct Ctl : CliSite {
  ProcessResult import(const std::string& name, const std::string& content) {
    return run({"import", "services", dir.write(name, content).string()});
  }

  std::optional<Service> service(const std::string& id) { return store::open_store(database)->service(id); }
};

const char* kHeader = "id,customer_id,kind,panel,account,recurring_amount,recurring_currency\n";

TEST_CASE("import services: recurring_amount round-trips from CSV and JSON lines", "[cli]") {
  Ctl ctl;
  REQUIRE(ctl.run({"import", "customers", ctl.dir.write("customers.csv", "id,name\nc1,Ana\n").string()})
              .exit_code == 0);
  auto done = ctl.import("services.csv", std::string(kHeader) +
                                             "s1,c1,hosting,noc,ana,29.90,BRL\n"
                                             "s2,c1,phone,noc,ana-phone,,\n"
                                             "s3,c1,vps,noc,ana-vps,1500,JPY\n");
  INFO(done.err);
  REQUIRE(done.exit_code == 0);
  auto s1 = ctl.service("s1");
  REQUIRE(s1->recurring_amount);
  CHECK(format_money(*s1->recurring_amount) == "29.90 BRL");
  CHECK_FALSE(ctl.service("s2")->recurring_amount);
  CHECK(format_money(*ctl.service("s3")->recurring_amount) == "1500 JPY");

  // The same file again changes nothing; a new price is written; JSON lines say the same.
  CHECK(ctl.run({"--json", "import", "services", (ctl.dir / "services.csv").string()}).exit_code == 0);
  done =
      ctl.import("services.jsonl",
                 R"({"id": "s1", "customer_id": "c1", "kind": "hosting", "panel": "noc", "account": "ana",)"
                 R"( "recurring_amount": "34.90", "recurring_currency": "BRL"})"
                 "\n");
  INFO(done.err);
  REQUIRE(done.exit_code == 0);
  CHECK(format_money(*ctl.service("s1")->recurring_amount) == "34.90 BRL");
  const auto shown = nlohmann::json::parse(ctl.run({"--json", "show", "service", "s1"}).out);
  CHECK(shown["recurring_amount"] == "34.90 BRL");
}

TEST_CASE("import services: a bad recurring price names the file, row and field", "[cli]") {
  Ctl ctl;
  REQUIRE(ctl.run({"import", "customers", ctl.dir.write("customers.csv", "id,name\nc1,Ana\n").string()})
              .exit_code == 0);
  const std::vector<std::pair<std::string, std::string>> cases{
      {"s1,c1,hosting,noc,ana,-29.90,BRL",
       "recurring_amount: '-29.90' is not an amount in BRL: negative amounts are not allowed here"},
      {"s1,c1,hosting,noc,ana,29.9O,BRL",
       "recurring_amount: '29.9O' is not an amount in BRL: only digits and one '.' are allowed"},
      {"s1,c1,hosting,noc,ana,92233720368547758.08,BRL",
       "recurring_amount: '92233720368547758.08' is not an amount in BRL: too large"},
      {"s1,c1,hosting,noc,ana,29.90,R$",
       "recurring_currency: 'R$' is not an ISO 4217 currency code (three capital letters)"},
      {"s1,c1,hosting,noc,ana,29.90,", "recurring_currency: is required with recurring_amount"},
      {"s1,c1,hosting,noc,ana,,BRL", "recurring_amount: is required with recurring_currency"},
  };
  for (const auto& [row, problem] : cases) {
    const auto file = (ctl.dir / "services.csv").string();
    const auto refused = ctl.import("services.csv", std::string(kHeader) + "s0,c1,other,,,,\n" + row + "\n");
    INFO(row);
    CHECK(refused.exit_code != 0);
    CHECK(refused.err.find(file + ":3: " + problem) != std::string::npos);
    CHECK_FALSE(ctl.service("s0"));  // the whole file or nothing
  }
  // A JSON number is not an amount: amounts are strings.
  const auto number = ctl.import(
      "services.jsonl",
      R"({"id": "s1", "customer_id": "c1", "kind": "hosting", "recurring_amount": 29.9, "recurring_currency": "BRL"})"
      "\n");
  CHECK(number.exit_code != 0);
  CHECK(number.err.find("services.jsonl:1: recurring_amount: must be a string") != std::string::npos);
  CHECK_FALSE(ctl.service("s1"));
}

}  // namespace recurring_amount_import_test
