// SPEC §10, points 1–3: payments recorded before the walk, confirmations that queue the
// unsuspend in the same transaction, partial payments, and episodes ended by a voided, paid or
// lowered invoice. Real dates (March 2026: the 2nd is a Monday), the real cobradorctl, the API
// over the same SQLite file, the outbox drained by the real dispatcher into a loopback panel
// and a real SMTP server.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>

#include "site.hpp"

using namespace cobrador;
using namespace cobrador::testing;
using nlohmann::json;

namespace {

// c<n> with one hosting service s<n> on the webhook panel and invoice i<n> due Monday 2 March.
void seed(Site& site, const std::vector<std::string>& ids, const std::string& amount = "100.00") {
  std::vector<std::string> people, services, invoices;
  for (const auto& id : ids) {
    people.push_back(fmt::format("{0},Customer {0},{0}@example.com,,en,2024-01-10,,", id));
    services.push_back(fmt::format("s{0},{1},hosting,noc,acct-{0}", id.substr(1), id));
    invoices.push_back(
        fmt::format("i{0},{1},s{0},{2},BRL,2026-02-20,2026-03-02,open", id.substr(1), id, amount));
  }
  const auto at = sao_paulo("2026-02-20", 9);
  site.import("customers", customers_csv(people), at);
  site.import("services", services_csv(services), at);
  site.import("invoices", invoices_csv(invoices), at);
}

// Walks `day` and drains the outbox five minutes later, as the daemon would.
void walk_and_dispatch(Site& site, const std::string& day) {
  site.walk(day);
  site.dispatch(sao_paulo(day, 6, 5));
}

// "stage@date" of every mail to `address`, in order.
std::vector<std::string> mails_to(Site& site, const std::string& address) {
  std::vector<std::string> out;
  for (const auto& m : site.mails()) {
    if (m.to == address) out.push_back(m.stage + "@" + m.date);
  }
  return out;
}

// "type service@date" of every webhook call.
std::vector<std::string> calls(Site& site) {
  std::vector<std::string> out;
  for (const auto& c : site.panel_calls()) out.push_back(c.type + " " + c.service + "@" + c.date);
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<Action> actions_of(Site& site, const std::string& customer, ActionKind kind) {
  store::ActionFilter filter;
  filter.customer_id = site.db().customer(customer)->id;
  filter.kind = kind;
  return site.db().actions(filter);
}

using Strings = std::vector<std::string>;

}  // namespace

// A payment recorded a minute before Monday's walk keeps that walk from suspending; a signed
// processor notification and a confirming import each queue the unsuspend before they return.
TEST_CASE("a payment before the walk is seen by it, and a confirmation queues the unsuspend at once",
          "[correctness][payments]") {
  Site site;
  seed(site, {"c1", "c2", "c3", "c4"});
  for (const auto* day : {"2026-03-05", "2026-03-06", "2026-03-07", "2026-03-08"})
    walk_and_dispatch(site, day);

  // c1 pays at 05:59 on Monday; the walk runs at 06:00.
  site.import("payments", payments_csv({"p1,i1,100.00,BRL,pix,bank,E1,confirmed,2026-03-09"}),
              sao_paulo("2026-03-09", 5, 59));
  const auto ended = site.audit_details("c1", "episode_ended");
  REQUIRE(ended.size() == 1);
  CHECK(ended[0]["rule"] == "nothing is overdue any more");
  CHECK(ended[0]["_at"] == "2026-03-09T08:59:00Z");
  CHECK(ended[0]["_actor"].get<std::string>().rfind("operator:", 0) == 0);
  walk_and_dispatch(site, "2026-03-09");

  CHECK(calls(site) == Strings{"service.suspend s2@2026-03-09", "service.suspend s3@2026-03-09",
                               "service.suspend s4@2026-03-09"});
  CHECK(mails_to(site, "c1@example.com") == Strings{"reminder@2026-03-05", "warning@2026-03-06"});
  CHECK(mails_to(site, "c2@example.com") ==
        Strings{"reminder@2026-03-05", "warning@2026-03-06", "suspend@2026-03-09"});
  CHECK(site.audit_details("c1", "stage_run").size() == 2);  // reminder and warning, no suspension
  CHECK(actions_of(site, "c1", ActionKind::suspend).empty());
  CHECK(site.service_state("s3") == ServiceState::suspended);
  CHECK(site.suspend_reason("s3") == "non_payment");

  // Tuesday 10:00: the PIX processor's signed notification for c3 (bank-pix confirms payments).
  const auto pix = site.signed_call("/v1/payments",
                                    {{"id", "p3"},
                                     {"invoice_id", "i3"},
                                     {"amount", "100.00"},
                                     {"currency", "BRL"},
                                     {"method", "pix"},
                                     {"reference", "E3"},
                                     {"status", "confirmed"},
                                     {"received_on", "2026-03-10"}},
                                    "msg-p3", sao_paulo("2026-03-10", 10));
  INFO(pix.body.dump());
  REQUIRE(pix.status == 201);
  // Before any walk or job: the unsuspend is in the outbox, written with the payment.
  const auto c3_unsuspend = actions_of(site, "c3", ActionKind::unsuspend);
  REQUIRE(c3_unsuspend.size() == 1);
  CHECK(c3_unsuspend[0].state == ActionState::pending);
  CHECK(c3_unsuspend[0].target == "s3");
  const auto c3_created = site.audit_details("c3", "payment_created");
  const auto c3_ended = site.audit_details("c3", "episode_ended");
  REQUIRE(c3_created.size() == 1);
  REQUIRE(c3_ended.size() == 1);
  CHECK(c3_created[0]["_actor"] == "bank:bank-pix");
  CHECK(c3_ended[0]["_actor"] == "bank:bank-pix");
  CHECK(c3_ended[0]["_at"] == c3_created[0]["_at"]);
  CHECK(c3_ended[0]["actions"] == json::array({c3_unsuspend[0].key}));

  // Tuesday 11:00: c4's confirmed payment arrives in an operator's import.
  site.import("payments", payments_csv({"p4,i4,100.00,BRL,transfer,bank,E4,confirmed,2026-03-10"}),
              sao_paulo("2026-03-10", 11));
  const auto c4_unsuspend = actions_of(site, "c4", ActionKind::unsuspend);
  REQUIRE(c4_unsuspend.size() == 1);
  CHECK(site.audit_details("c4", "episode_ended")[0]["actions"] == json::array({c4_unsuspend[0].key}));

  site.dispatch(sao_paulo("2026-03-10", 11, 5));
  CHECK(calls(site) == Strings{"service.suspend s2@2026-03-09", "service.suspend s3@2026-03-09",
                               "service.suspend s4@2026-03-09", "service.unsuspend s3@2026-03-10",
                               "service.unsuspend s4@2026-03-10"});
  CHECK(site.service_state("s3") == ServiceState::active);
  CHECK(site.service_state("s4") == ServiceState::active);
  CHECK(site.service_state("s2") == ServiceState::suspended);
  CHECK(mails_to(site, "c3@example.com") ==
        Strings{"reminder@2026-03-05", "warning@2026-03-06", "suspend@2026-03-09", "end@2026-03-10"});
}

// A partial payment between the reminder and the warning, and another after the suspension:
// each stage runs once, in order, on its day; nothing restarts and nothing is lifted.
TEST_CASE("a partial payment changes the balance, not the episode", "[correctness][payments]") {
  Site site;
  seed(site, {"c1"});
  walk_and_dispatch(site, "2026-03-05");
  site.import("payments", payments_csv({"p1,i1,40.00,BRL,pix,bank,E1,confirmed,2026-03-05"}),
              sao_paulo("2026-03-05", 20));
  CHECK(site.audit_details("c1", "episode_ended").empty());
  for (const auto* day : {"2026-03-06", "2026-03-07", "2026-03-08", "2026-03-09"})
    walk_and_dispatch(site, day);
  site.import("payments", payments_csv({"p2,i1,30.00,BRL,pix,bank,E2,confirmed,2026-03-10"}),
              sao_paulo("2026-03-10", 9));
  for (const auto* day : {"2026-03-10", "2026-03-11"}) walk_and_dispatch(site, day);

  CHECK(mails_to(site, "c1@example.com") ==
        Strings{"reminder@2026-03-05", "warning@2026-03-06", "suspend@2026-03-09"});
  CHECK(calls(site) == Strings{"service.suspend s1@2026-03-09"});
  Strings runs;
  for (const auto& run : site.audit_details("c1", "stage_run")) {
    CHECK(run["episode"] == 1);
    runs.push_back(run["stage"].get<std::string>());
  }
  CHECK(runs == Strings{"reminder", "warning", "suspend"});
  CHECK(site.audit_details("c1", "stage_superseded").empty());
  CHECK(site.audit_details("c1", "episode_ended").empty());
  CHECK(site.service_state("s1") == ServiceState::suspended);
  CHECK(site.db().invoice("i1")->balance.minor == 3000);
  // The warning told the customer what was still owed after the first partial payment.
  const auto notices = actions_of(site, "c1", ActionKind::notify);
  const auto warning =
      std::find_if(notices.begin(), notices.end(), [](const Action& a) { return a.stage == "warning"; });
  REQUIRE(warning != notices.end());
  CHECK(json::parse(warning->payload)["variables"]["amount_due"] ==
        format_money(Money{6000, *Currency::parse("BRL")}));
}

// Three suspended customers whose debt goes away without a payment: an invoice voided over the
// API, one re-imported as paid, one lowered over the API to what was already paid. Each ends
// the episode in the request that made the change, and the panel is told to unsuspend.
TEST_CASE("an invoice voided, paid or lowered ends the episode like a payment", "[correctness][payments]") {
  Site site;
  seed(site, {"c1", "c2", "c3"});
  site.import("payments", payments_csv({"p3,i3,40.00,BRL,pix,bank,E3,confirmed,2026-03-04"}),
              sao_paulo("2026-03-04", 9));
  for (const auto* day : {"2026-03-05", "2026-03-06", "2026-03-07", "2026-03-08", "2026-03-09"}) {
    walk_and_dispatch(site, day);
  }
  REQUIRE(calls(site) == Strings{"service.suspend s1@2026-03-09", "service.suspend s2@2026-03-09",
                                 "service.suspend s3@2026-03-09"});

  const json voided{{"customer_id", "c1"}, {"services", "s1"},          {"amount", "100.00"},
                    {"currency", "BRL"},   {"issued_on", "2026-02-20"}, {"due_on", "2026-03-02"},
                    {"status", "void"}};
  const auto put = site.call("PUT", "/v1/invoices/i1", voided, kBillingBearer, sao_paulo("2026-03-10", 9));
  INFO(put.body.dump());
  CHECK(put.status == 200);
  site.import("invoices", invoices_csv({"i2,c2,s2,100.00,BRL,2026-02-20,2026-03-02,paid"}),
              sao_paulo("2026-03-10", 9, 30));
  json lowered = voided;
  lowered["customer_id"] = "c3";
  lowered["services"] = "s3";
  lowered["amount"] = "40.00";
  lowered["status"] = "open";
  CHECK(site.call("PUT", "/v1/invoices/i3", lowered, kBillingBearer, sao_paulo("2026-03-10", 10)).status ==
        200);

  const std::map<std::string, std::pair<std::string, std::string>> expected{
      {"c1", {"billing", "2026-03-10T12:00:00Z"}},
      {"c2", {"operator:", "2026-03-10T12:30:00Z"}},
      {"c3", {"billing", "2026-03-10T13:00:00Z"}}};
  for (const auto& [customer, who] : expected) {
    INFO(customer);
    const auto ended = site.audit_details(customer, "episode_ended");
    REQUIRE(ended.size() == 1);
    CHECK(ended[0]["_actor"].get<std::string>().rfind(who.first, 0) == 0);
    CHECK(ended[0]["_at"] == who.second);
    CHECK(ended[0]["rule"] == "nothing is overdue any more");
    CHECK(ended[0]["actions"].size() == 1);
  }
  site.dispatch(sao_paulo("2026-03-10", 10, 5));
  CHECK(calls(site) == Strings{"service.suspend s1@2026-03-09", "service.suspend s2@2026-03-09",
                               "service.suspend s3@2026-03-09", "service.unsuspend s1@2026-03-10",
                               "service.unsuspend s2@2026-03-10", "service.unsuspend s3@2026-03-10"});
  for (const auto* service : {"s1", "s2", "s3"}) CHECK(site.service_state(service) == ServiceState::active);
  // The walks that follow have nothing to do for them.
  walk_and_dispatch(site, "2026-03-11");
  CHECK(site.panel_calls().size() == 6);
}
