// SPEC §4: a service suspended for non-payment comes back only through a confirmed payment or
// a trust release. Every other door is tried on a real server and a real SQLite file — a
// claimed payment, a pending payment, the invoice imported again (HTTP and cobradorctl), more
// walks, panel callbacks, a rejected payment — and none of them queues an unsuspend; then a
// confirmed payment does, which shows the check can see one.
#include <catch2/catch.hpp>

#include <fstream>

#include <fmt/format.h>

#include "trust_scenario.hpp"

using namespace cobrador;
using namespace cobrador::testing;

namespace {

std::string payment_body(const std::string& id, const std::string& status) {
  return nlohmann::json{{"id", id},
                        {"invoice_id", "inv-dora"},
                        {"amount", "49.90"},
                        {"currency", "BRL"},
                        {"method", "pix"},
                        {"source", "bank"},
                        {"reference", "E2E-" + id},
                        {"status", status},
                        {"received_on", "2026-03-09"}}
      .dump();
}

}  // namespace

TEST_CASE("only a confirmed payment or a trust release unsuspends", "[trust][claims]") {
  TrustScenario w;
  w.api.seed_customer("dora");
  w.api.seed_invoice("inv-dora", "dora", "49.90", *parse_date("2026-03-04"));
  for (const char* day : {"2026-03-07", "2026-03-08", "2026-03-09"}) {
    w.walk(day);
    w.deliver();
  }
  REQUIRE(w.service_state("s-dora") == "suspended:non_payment");
  const auto still_suspended = [&](const char* door) {
    INFO(door);
    w.deliver();
    CHECK(w.actions("dora", "unsuspend") == 0);
    CHECK(w.service_state("s-dora") == "suspended:non_payment");
    CHECK(w.customer("dora")["balance"]["BRL"] == "49.90");
  };

  // A payment the customer says was made, and one a processor accepted but did not settle.
  REQUIRE(w.api.call("POST", "/v1/payments", payment_body("pay-claimed", "claimed"), kBillingToken).status ==
          201);
  still_suspended("claimed payment");
  REQUIRE(w.api.call("POST", "/v1/payments", payment_body("pay-pending", "pending"), kBillingToken).status ==
          201);
  still_suspended("pending payment");

  // The invoice sent again, unchanged and then changed, over HTTP and by import.
  const nlohmann::json invoice{{"customer_id", "dora"},     {"amount", "49.90"},      {"currency", "BRL"},
                               {"issued_on", "2026-02-22"}, {"due_on", "2026-03-04"}, {"status", "open"}};
  CHECK(w.api.call("PUT", "/v1/invoices/inv-dora", invoice.dump(), kBillingToken).status == 200);
  auto changed = invoice;
  changed["amount"] = "59.90";
  CHECK(w.api.call("PUT", "/v1/invoices/inv-dora", changed.dump(), kBillingToken).status == 200);
  const auto csv = w.api.config_path() + ".invoices.csv";
  {
    std::ofstream out(csv);
    out << "id,customer_id,services,amount,currency,issued_on,due_on,status\n"
           "inv-dora,dora,,49.90,BRL,2026-02-22,2026-03-04,open\n";
  }
  const auto imported = w.ctl({"import", "invoices", csv}, "2026-03-09");
  INFO(imported.err);
  CHECK(imported.exit_code == 0);
  still_suspended("invoice imported again");

  // The same day walked again, and the next days.
  for (const char* day : {"2026-03-09", "2026-03-10", "2026-03-11"}) w.walk(day);
  still_suspended("more walks");

  // The panel calls back about the suspension, done already (409, nothing changes), and about
  // an unsuspend nobody queued.
  store::ActionFilter suspends;
  suspends.kind = ActionKind::suspend;
  const auto suspend = w.api.db().actions(suspends);
  REQUIRE(suspend.size() == 1);
  const auto done = nlohmann::json{{"id", suspend[0].key}, {"status", "done"}}.dump();
  CHECK(w.api.signed_call("/v1/hooks/panel/noc", done, kPanelSecret, "cb-1").status == 409);
  const auto forged_key = fmt::format("c{}:e1:end:unsuspend:s-dora", suspend[0].customer_id);
  const auto forged = nlohmann::json{{"id", forged_key}, {"status", "done"}}.dump();
  CHECK(w.api.signed_call("/v1/hooks/panel/noc", forged, kPanelSecret, "cb-2").status == 404);
  still_suspended("panel callbacks");

  // The operator rejects the claim.
  const auto rejected =
      w.ctl({"payment", "reject", "pay-claimed", "--reason", "no such credit"}, "2026-03-11");
  CHECK(rejected.exit_code == 0);
  still_suspended("rejected payment");
  // The operator's unsuspend by hand lifts only suspensions made by hand: on the command line
  // and over HTTP it is refused for one for non-payment.
  const auto by_hand = w.ctl({"unsuspend", "s-dora", "--reason", "customer called"}, "2026-03-11");
  CHECK(by_hand.exit_code != 0);
  const auto over_http = w.api.call("DELETE", "/v1/services/s-dora/suspension",
                                    R"({"reason": "customer called"})", kOperatorToken);
  CHECK(over_http.status == 409);
  still_suspended("an operator's unsuspend by hand");

  // The door that is meant to open it: the pending payment, confirmed.
  const auto confirmed = w.ctl({"payment", "confirm", "pay-pending", "--reason", "settled"}, "2026-03-11");
  INFO(confirmed.err);
  REQUIRE(confirmed.exit_code == 0);
  CHECK(w.actions("dora", "unsuspend", "pending") == 1);
  w.deliver();
  CHECK(w.service_state("s-dora") == "active");
}
