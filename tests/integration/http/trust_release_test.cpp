// Trust releases and payment claims end to end, on real dates: the real HTTP server, the real
// cobradorctl binary and one SQLite file. The policy is etc/policy.yaml (São Paulo time;
// reminder day 3, warning day 4, suspension day 5, never on fri/sat/sun; claim releases of
// 1 day; claims expire after 3 days; at most 2 releases in 12 months). Invoices fall due on
// Wednesday 4 March 2026, so day 5 is Monday 9 March.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include "trust_scenario.hpp"

using namespace cobrador;
using namespace cobrador::testing;

namespace {

nlohmann::json find_by(const nlohmann::json& rows, const std::string& key, const std::string& value) {
  for (const auto& row : rows) {
    if (row[key] == value) return row;
  }
  FAIL("no row with " << key << " = " << value << " in " << rows.dump());
  return nullptr;
}

std::string audit_text(TrustScenario& w, const std::string& customer) {
  std::string text;
  for (const auto& e : w.api.db().audit_of("customer:" + customer)) text += e.event + " " + e.details + "\n";
  return text;
}

}  // namespace

// Ana sends a forged receipt on day 5 and gets a 1-day release; nothing confirms it, so on the
// deadline she is suspended again (promise broken, no new notice) and on the claim's expiry the
// claim is rejected as unconfirmed, she is flagged and the operator alerted. Bia's claim is
// confirmed by the operator: reactivated, promise kept.
TEST_CASE("a forged claim buys one day, a confirmed claim reactivates for good", "[trust][claims]") {
  TrustScenario w;
  w.suspend_on_day_5({"ana", "bia"});

  const auto ana_claim = w.claim("ana", "forged-001");
  INFO(ana_claim.body);
  REQUIRE(ana_claim.status == 201);
  const auto claimed = ana_claim.json();
  CHECK(claimed["payment"]["status"] == "claimed");
  CHECK(claimed["payment"]["id"] == "claim:ana:forged-001");
  CHECK(claimed["payment"]["proof_url"] == "https://area.example/receipts/forged-001.png");
  CHECK(claimed["expires_on"] == "2026-03-12");
  CHECK(claimed["trust_release"]["granted"] == true);
  CHECK(claimed["trust_release"]["deadline"] == "2026-03-10");
  CHECK(claimed["trust_release"]["unsuspended"] == nlohmann::json{"s-ana"});
  CHECK(w.actions("ana", "unsuspend", "pending") == 1);
  // A claim is not money: the balance is what it was, and the promise is shown.
  auto ana = w.customer("ana");
  CHECK(ana["balance"]["BRL"] == "49.90");
  CHECK(ana["open_promise"]["deadline"] == "2026-03-10");
  CHECK(ana["open_promise"]["claim"] == "claim:ana:forged-001");
  CHECK(ana["claims_flagged"] == false);

  REQUIRE(w.claim("bia", "E2E-BIA-777").status == 201);
  const auto confirmed = w.ctl({"--json", "payment", "confirm", "claim:bia:E2E-BIA-777", "--reason",
                                "credit seen on the bank statement"},
                               "2026-03-09");
  INFO(confirmed.err);
  REQUIRE(confirmed.exit_code == 0);
  CHECK(nlohmann::json::parse(confirmed.out)["status"] == "confirmed");
  // Settled in the same transaction: the episode's unsuspend is queued, the release's is no
  // longer needed, and the promise is kept.
  CHECK(w.actions("bia", "unsuspend", "pending") == 1);
  CHECK(w.actions("bia", "unsuspend", "cancelled") == 1);
  const auto promises = nlohmann::json::parse(w.ctl({"--json", "list", "promises"}, "2026-03-09").out);
  CHECK(find_by(promises, "customer", "bia")["outcome"] == "kept");
  CHECK(find_by(promises, "customer", "ana")["outcome"] == "open");

  w.deliver();
  CHECK(w.service_state("s-ana") == "active");
  CHECK(w.service_state("s-bia") == "active");
  const auto ana_notices = w.actions("ana", "notify");

  // Deadline day, unpaid: suspended again at once, no new notice, promise broken.
  w.walk("2026-03-10");
  CHECK(w.actions("ana", "suspend", "pending") == 1);
  CHECK(w.actions("ana", "notify") == ana_notices);
  const auto ana_promise = find_by(promises, "customer", "ana")["id"].get<std::int64_t>();
  CHECK(w.promise_outcome(ana_promise) == "broken");
  w.deliver();
  CHECK(w.service_state("s-ana") == "suspended:non_payment");
  ana = w.customer("ana");
  CHECK(ana["open_promise"].is_null());
  CHECK(ana["state"] == "suspended");

  // Expiry day of the claim: rejected as unconfirmed, flagged, alerted, and the customer hears
  // of it (claim_unconfirmed, issue 18).
  w.walk("2026-03-11");
  CHECK(w.api.count("SELECT COUNT(*) FROM alerts WHERE kind = 'unconfirmed_claim'") == 0);
  w.walk("2026-03-12");
  const auto claims = nlohmann::json::parse(w.ctl({"--json", "list", "claims"}, "2026-03-12").out);
  const auto ana_row = find_by(claims, "id", "claim:ana:forged-001");
  CHECK(ana_row["status"] == "rejected");
  CHECK(ana_row["status_reason"] == "unconfirmed");
  CHECK(find_by(claims, "id", "claim:bia:E2E-BIA-777")["status"] == "confirmed");
  CHECK(w.api.count(
            "SELECT COUNT(*) FROM alerts WHERE kind = 'unconfirmed_claim' AND subject = 'customer:ana'") ==
        1);
  CHECK(w.api.count(
            "SELECT COUNT(*) FROM tasks WHERE kind = 'unconfirmed_claim' AND subject = 'customer:ana' AND "
            "state = 'open'") == 1);
  CHECK(w.customer("ana")["claims_flagged"] == true);
  CHECK(w.actions("ana", "notify") == ana_notices + 1);
  CHECK(w.api.count("SELECT COUNT(*) FROM actions WHERE kind = 'notify' AND key LIKE '%:claim%' AND "
                    "payload LIKE '%claim_unconfirmed%'") == 1);
  CHECK(w.service_state("s-ana") == "suspended:non_payment");
  const auto shown = w.ctl({"show", "customer", "ana"}, "2026-03-12");
  CHECK_THAT(shown.out, Catch::Contains("flagged: a payment claim went unconfirmed"));

  // Flagged: another claim is recorded, but buys no release.
  const auto again = w.claim("ana", "forged-002");
  REQUIRE(again.status == 201);
  CHECK(again.json()["trust_release"]["granted"] == false);
  CHECK(again.json()["trust_release"]["rule"] == "claims_flagged");
  CHECK(w.actions("ana", "unsuspend") == 1);  // only the first release's

  CHECK(w.customer("bia")["state"] == "good_standing");
  CHECK_THAT(audit_text(w, "bia"), Catch::Contains("promise_kept"));
  CHECK_THAT(audit_text(w, "ana"), Catch::Contains("promise_broken") && Catch::Contains("claim_unconfirmed"));
}

// Caio had two releases (both kept) within 12 months; the third is refused by
// max_per_12_months on the command line and over HTTP (409 naming the rule). Only an operator
// may force it, with a reason, and the audit says so.
TEST_CASE("a third release in 12 months is refused by max_per_12_months", "[trust]") {
  TrustScenario w;
  w.api.seed_customer("caio");
  const auto pay = [&](const std::string& invoice, const std::string& day) {
    w.api.set_now(*parse_instant(day + "T12:00:00Z"));
    const nlohmann::json body{{"id", "pay-" + invoice},
                              {"invoice_id", invoice},
                              {"amount", "49.90"},
                              {"currency", "BRL"},
                              {"method", "pix"},
                              {"source", "bank"},
                              {"reference", "E2E-" + invoice},
                              {"status", "confirmed"},
                              {"received_on", day}};
    REQUIRE(w.api.call("POST", "/v1/payments", body.dump(), kErpToken).status == 201);
  };
  const std::vector<std::tuple<std::string, std::string, std::string>> episodes{
      {"c-1", "2026-03-04", "2026-03-07"}, {"c-2", "2026-03-11", "2026-03-14"}};
  for (const auto& [invoice, due, day3] : episodes) {
    w.api.seed_invoice(invoice, "caio", "49.90", *parse_date(due));
    w.walk(day3);
    const auto granted = w.ctl({"--json", "trust-release", "caio", "--reason", "asked by phone"}, day3);
    INFO(granted.err);
    REQUIRE(granted.exit_code == 0);
    CHECK(nlohmann::json::parse(granted.out)["deadline"] == format_date(*parse_date(day3) + date::days{3}));
    pay(invoice, day3);
  }
  const auto history = nlohmann::json::parse(w.ctl({"--json", "list", "promises"}, "2026-03-21").out);
  REQUIRE(history.size() == 2);
  for (const auto& p : history) CHECK(p["outcome"] == "kept");

  w.api.seed_invoice("c-3", "caio", "49.90", *parse_date("2026-03-18"));
  w.walk("2026-03-21");
  const auto refused = w.ctl({"trust-release", "caio", "--reason", "asked by phone"}, "2026-03-21");
  CHECK(refused.exit_code == 1);
  CHECK(refused.err ==
        "cobradorctl: trust release refused by max_per_12_months: 2 trust releases in the last 12 months; "
        "the policy allows 2\n");
  const auto http = w.api.call("POST", "/v1/customers/caio/trust-release", "{}", kAreaToken);
  CHECK(http.status == 409);
  CHECK(http.error_code() == "max_per_12_months");
  CHECK_THAT(http.json()["error"]["message"].get<std::string>(), Catch::Contains("the policy allows 2"));
  // The client area cannot force; an operator over HTTP needs the same reason as on the CLI.
  const auto area_force = w.api.call("POST", "/v1/customers/caio/trust-release",
                                     R"({"force": true, "reason": "please"})", kAreaToken);
  CHECK(area_force.status == 403);
  CHECK(area_force.error_field() == "force");
  CHECK(w.api.count("SELECT COUNT(*) FROM promises WHERE outcome = 'open'") == 0);

  const auto forced = w.ctl(
      {"--json", "trust-release", "caio", "--days", "2", "--force", "--reason", "hospital stay, manager ok"},
      "2026-03-21");
  INFO(forced.err);
  REQUIRE(forced.exit_code == 0);
  const auto promise = nlohmann::json::parse(forced.out);
  CHECK(promise["forced"] == true);
  CHECK(promise["deadline"] == "2026-03-23");
  CHECK(promise["override_reason"] == "max_per_12_months: hospital stay, manager ok");
  const auto audit = audit_text(w, "caio");
  CHECK_THAT(audit, Catch::Contains("trust_release_forced") &&
                        Catch::Contains("\"overridden_rule\":\"max_per_12_months\""));
  CHECK_THAT(audit, Catch::Contains("trust_release_refused"));  // the CLI's refusal was audited
  // With a release open, even an operator cannot stack a second one.
  const auto stacked = w.api.call("POST", "/v1/customers/caio/trust-release",
                                  R"({"force": true, "reason": "again"})", kOperatorToken);
  CHECK(stacked.status == 409);
  CHECK(stacked.error_code() == "open_promise");
}

// A release asked before the suspension was carried out postpones it: the queued suspend is
// cancelled, and the deadline, unpaid, suspends without a new notice.
TEST_CASE("a release before the suspension went out postpones it", "[trust]") {
  TrustScenario w;
  w.api.seed_customer("edu");
  w.api.seed_invoice("inv-edu", "edu", "49.90", *parse_date("2026-03-04"));
  for (const char* day : {"2026-03-07", "2026-03-08"}) {
    w.walk(day);
    w.deliver();
  }
  w.walk("2026-03-09");  // the suspension is queued, not carried out
  REQUIRE(w.actions("edu", "suspend", "pending") == 1);
  w.api.set_now(*parse_instant("2026-03-09T13:00:00Z"));
  const auto reply =
      w.api.call("POST", "/v1/customers/edu/trust-release", R"({"reason": "paying on Friday"})", kAreaToken);
  INFO(reply.body);
  REQUIRE(reply.status == 201);
  CHECK(reply.json()["deadline"] == "2026-03-12");
  CHECK(reply.json()["postponed"] == nlohmann::json{"s-edu"});
  CHECK(w.actions("edu", "suspend", "cancelled") == 1);
  CHECK(w.actions("edu", "notify", "cancelled") == 1);  // nor is its "suspended" notice sent
  w.deliver();
  CHECK(w.service_state("s-edu") == "active");
  const auto notices = w.actions("edu", "notify");
  for (const char* day : {"2026-03-10", "2026-03-11"}) w.walk(day);
  CHECK(w.actions("edu", "suspend", "pending") == 0);  // paused while the promise is open
  w.walk("2026-03-12");
  CHECK(w.actions("edu", "suspend", "pending") == 1);
  CHECK(w.actions("edu", "notify") == notices);
  w.deliver();
  CHECK(w.service_state("s-edu") == "suspended:non_payment");
}

// The same confirmation, from the bank: Bia claims on day 5 (a 1-day release), and the next
// morning the bank's camt.054 notification (the real fixture file) carries a credit of 15.00
// CHF whose remittance names her invoice 132. `cobradorctl bank import` confirms her claim —
// the claim row itself, no second payment — settles the episode and keeps the promise in the
// import's transaction; on the release's deadline nothing re-suspends her.
TEST_CASE("a claim confirmed by a camt.054 import reactivates and keeps the promise",
          "[trust][claims][bank]") {
  TrustScenario w;
  w.api.seed_customer("bia");
  w.api.seed_invoice("132", "bia", "15.00", *parse_date("2026-03-04"), "CHF");
  for (const char* day : {"2026-03-07", "2026-03-08", "2026-03-09"}) {
    w.walk(day);
    w.deliver();
  }
  REQUIRE(w.service_state("s-bia") == "suspended:non_payment");

  const auto claim = w.claim("bia", "EndToEnd-CRDBRActSame-1B9C-CHDDBB2", "15.00");
  INFO(claim.body);
  REQUIRE(claim.status == 201);
  CHECK(claim.json()["trust_release"]["granted"] == true);
  w.deliver();
  CHECK(w.service_state("s-bia") == "active");

  const std::string statement =
      std::string(COBRADOR_FIXTURES_DIR) + "/camt/viafintech-camt054.v4.returns.xml";
  const auto imported = w.ctl({"--json", "bank", "import", statement}, "2026-03-10");
  INFO(imported.err);
  REQUIRE(imported.exit_code == 0);
  CHECK(nlohmann::json::parse(imported.out)["matched"] == 1);

  const auto claims = nlohmann::json::parse(w.ctl({"--json", "list", "claims"}, "2026-03-10").out);
  CHECK(find_by(claims, "id", "claim:bia:EndToEnd-CRDBRActSame-1B9C-CHDDBB2")["status"] == "confirmed");
  CHECK(w.api.count("SELECT COUNT(*) FROM payments p JOIN invoices i ON i.id = p.invoice_id "
                    "WHERE i.ext_id = '132'") == 1);
  CHECK(w.api.db().invoice("132")->balance.minor == 0);
  const auto promises = nlohmann::json::parse(w.ctl({"--json", "list", "promises"}, "2026-03-10").out);
  CHECK(find_by(promises, "customer", "bia")["outcome"] == "kept");
  CHECK_THAT(audit_text(w, "bia"), Catch::Contains("promise_kept") && Catch::Contains("episode_ended"));

  // The deadline's walk finds nothing owed: no suspension, the service stays on.
  w.walk("2026-03-10");
  w.deliver();
  CHECK(w.actions("bia", "suspend", "pending") == 0);
  CHECK(w.service_state("s-bia") == "active");
  CHECK(w.customer("bia")["state"] == "good_standing");
}

// A regression: the walk suspends again, with no stage run, on the deadline of a release that
// was not paid; the forecast (show customer's next_action, the customer's page) said nothing
// was planned. It names that day now, and the walk does it on that day.
TEST_CASE("the next action of a released customer is the re-suspension on the deadline", "[trust]") {
  TrustScenario w;
  w.suspend_on_day_5({"rita"});
  const auto granted = w.ctl({"--json", "trust-release", "rita", "--reason", "asked by phone"}, "2026-03-09");
  INFO(granted.err);
  REQUIRE(granted.exit_code == 0);
  const auto deadline = nlohmann::json::parse(granted.out)["deadline"].get<std::string>();
  w.deliver();
  REQUIRE(w.service_state("s-rita") == "active");
  const auto next =
      nlohmann::json::parse(w.ctl({"--json", "show", "customer", "rita"}, "2026-03-09").out)["next_action"];
  INFO(next.dump());
  REQUIRE(next.is_object());
  CHECK(next["date"] == deadline);
  CHECK(next["action"] == "suspend s-rita");
  w.walk("2026-03-11");
  w.deliver();
  CHECK(w.service_state("s-rita") == "active");
  w.walk(deadline);
  w.deliver();
  CHECK(w.service_state("s-rita") == "suspended:non_payment");
}
