// Backups for the right people (issue 18, point 1), end to end on the shipped policy
// (etc/policy.yaml: allowed_in [active], last_chance_fee "25.00"): the real HTTP server, the
// real cobradorctl and one database (SQLite or PostgreSQL).
//  - A customer back on a trust release or on a claimed receipt is active but has not paid:
//    no backup (409 with the rule's name) until the bank's money arrives.
//  - A cancelled service gets the last-chance backup the purge notice offers, once, and its
//    fee becomes a charge that `cobradorctl export charges` hands over once the backup is done.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include "integration/http/trust_scenario.hpp"
#include "support/has_text.hpp"

using namespace cobrador;
using namespace cobrador::testing;

namespace {

Reply ask_backup(TrustScenario& w, const std::string& service) {
  return w.api.call("POST", "/v1/services/" + service + "/backups", "", kAreaToken);
}

Reply pay(TrustScenario& w, const std::string& id, const std::string& invoice, const std::string& day) {
  const nlohmann::json body{
      {"id", id},        {"invoice_id", invoice},    {"amount", "49.90"},     {"currency", "BRL"},
      {"method", "pix"}, {"reference", "E2E-" + id}, {"status", "confirmed"}, {"received_on", day}};
  return w.api.call("POST", "/v1/payments", body.dump(), kErpToken);
}

}  // namespace

TEST_CASE("a customer back on trust or on a claimed receipt gets no backup until the money is confirmed",
          "[lifecycle][backup]") {
  TrustScenario w;
  w.suspend_on_day_5({"ana", "bia"});

  // Ana is released on trust, Bia on a receipt nobody has seen money for: both active again.
  const auto released = w.api.call("POST", "/v1/customers/ana/trust-release", "{}", kAreaToken);
  INFO(released.body);
  REQUIRE(released.status == 201);
  REQUIRE(w.claim("bia", "receipt-001").status == 201);
  w.deliver();
  REQUIRE(w.service_state("s-ana") == "active");
  REQUIRE(w.service_state("s-bia") == "active");

  const auto ana = ask_backup(w, "s-ana");
  INFO(ana.body);
  CHECK(ana.status == 409);
  CHECK(ana.error_code() == "promise_open");
  const auto bia = ask_backup(w, "s-bia");
  INFO(bia.body);
  CHECK(bia.status == 409);
  CHECK(bia.error_code() == "claim_open");
  // The operator's command answers the same, with the rule in words.
  const auto by_phone = w.ctl({"backup", "s-ana"}, "2026-03-09");
  CHECK(by_phone.exit_code == 1);
  CHECK(by_phone.err ==
        "cobradorctl: no backup of s-ana: backups only while paid: a trust release is running; the backup "
        "waits until it is kept (promise_open)\n");
  CHECK(w.actions("ana", "backup") + w.actions("bia", "backup") == 0);

  // The bank's money arrives for Ana: paid up, the backup goes to the panel.
  REQUIRE(pay(w, "pay-ana", "inv-ana", "2026-03-09").status == 201);
  const auto paid = ask_backup(w, "s-ana");
  INFO(paid.body);
  CHECK(paid.status == 202);
  CHECK(paid.json()["last_chance"] == false);
  CHECK_FALSE(paid.json().contains("fee"));
  CHECK(w.actions("ana", "backup") == 1);
}

TEST_CASE(
    "the last-chance backup of a cancelled service: once, and its fee charged through the billing system",
    "[lifecycle][backup]") {
  TrustScenario w;
  w.api.seed_customer("caio");
  w.api.seed_invoice("inv-caio", "caio", "49.90", *parse_date("2026-03-04"));
  REQUIRE(pay(w, "pay-caio", "inv-caio", "2026-03-03").status == 201);
  w.walk("2026-03-05");
  const auto cancelled =
      w.api.call("POST", "/v1/services/s-caio/cancellation", R"({"reason": "moving"})", kAreaToken);
  INFO(cancelled.body);
  REQUIRE(cancelled.status == 201);
  REQUIRE(cancelled.json()["purge_date"] == "2026-04-30");
  w.walk("2026-04-01");
  w.deliver();
  REQUIRE(w.service_state("s-caio") == "cancelled:cancellation");

  // The offer a week before the purge names the price.
  w.walk("2026-04-23");
  CHECK(w.api.count("SELECT COUNT(*) FROM actions WHERE stage = 'last_chance_backup' AND kind = 'notify' AND "
                    "payload LIKE '%25.00 BRL%'") == 1);

  // Cancelled is not in backups.allowed_in: the paid exception answers.
  const auto asked = ask_backup(w, "s-caio");
  INFO(asked.body);
  REQUIRE(asked.status == 202);
  CHECK(asked.json()["last_chance"] == true);
  CHECK(asked.json()["fee"] == nlohmann::json{{"amount", "25.00"}, {"currency", "BRL"}});
  const char* header = "charge_id,customer_id,service_id,kind,amount,currency,description,charged_on\r\n";
  // Not billed before the panel has made the backup.
  CHECK(w.ctl({"export", "charges"}, "2026-04-23").out == header);

  w.deliver();  // the panel made it
  const auto exported = w.ctl({"export", "charges"}, "2026-04-24");
  REQUIRE(exported.exit_code == 0);
  CHECK(
      exported.out ==
      std::string(header) +
          "1,caio,s-caio,last_chance_backup,25.00,BRL,\"last-chance backup of a cancelled service before its "
          "purge, once, for backups.last_chance_fee 25.00 BRL\",2026-04-23\r\n");
  CHECK(w.ctl({"export", "charges"}, "2026-04-24").out == header);  // handed over once

  // Once: the second request is refused, by the API and by the operator's command.
  const auto again = ask_backup(w, "s-caio");
  CHECK(again.status == 409);
  CHECK(again.error_code() == "last_chance_taken");
  const auto by_phone = w.ctl({"backup", "s-caio"}, "2026-04-24");
  CHECK(by_phone.exit_code == 1);
  CHECK(has(by_phone.err, "(last_chance_taken)"));
  CHECK(w.api.count("SELECT COUNT(*) FROM charges") == 1);
}
