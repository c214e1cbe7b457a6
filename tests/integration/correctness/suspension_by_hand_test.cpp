// SPEC §10, point 5: a suspension made by hand (cobradorctl suspend, POST
// /v1/services/{id}/suspension) carries the operator's reason; no payment and no walk lifts it,
// not even an unsuspension for non-payment already waiting in the outbox; only the operator's
// unsuspend does. Every panel call goes through the outbox to the loopback panel.
#include <catch2/catch.hpp>

#include <algorithm>

#include "site.hpp"

using namespace cobrador;
using namespace cobrador::testing;
using nlohmann::json;
using Strings = std::vector<std::string>;

namespace {

// "type service (reason)@date" of every webhook call, in the order they came (panels get a
// reason with suspensions only).
Strings calls_with_reasons(Site& site) {
  Strings out;
  for (const auto& c : site.panel_calls()) {
    out.push_back(c.reason.empty() ? fmt::format("{} {}@{}", c.type, c.service, c.date)
                                   : fmt::format("{} {} ({})@{}", c.type, c.service, c.reason, c.date));
  }
  return out;
}

void pay(Site& site, const std::string& invoice, Instant at) {
  site.import("payments",
              payments_csv({fmt::format("p-{0},{0},100.00,BRL,pix,bank,E-{0},confirmed,{1}", invoice,
                                        format_date(Date{std::chrono::floor<date::days>(at)}))}),
              at);
}

std::vector<Action> unsuspends_of(Site& site, const std::string& customer) {
  store::ActionFilter filter;
  filter.customer_id = site.db().customer(customer)->id;
  filter.kind = ActionKind::unsuspend;
  return site.db().actions(filter);
}

}  // namespace

TEST_CASE("a suspension by hand keeps its reason, only the operator lifts it", "[correctness][manual]") {
  Site site;
  const auto at = sao_paulo("2026-02-20", 9);
  site.import(
      "customers",
      customers_csv({"c1,Ana,c1@example.com,,en,2024-01-10,,", "c2,Bia,c2@example.com,,en,2024-01-10,,",
                     "c3,Caio,c3@example.com,,en,2024-01-10,,", "c4,Duda,c4@example.com,,en,2024-01-10,,"}),
      at);
  site.import("services",
              services_csv({"s1,c1,hosting,noc,ana", "s2,c2,hosting,noc,bia", "s3,c3,hosting,noc,caio",
                            "s4,c4,hosting,noc,duda"}),
              at);
  site.import("invoices",
              invoices_csv({"i1,c1,s1,100.00,BRL,2026-02-20,2026-03-02,open",
                            "i2,c2,s2,100.00,BRL,2026-02-20,2026-03-02,open",
                            "i3,c3,s3,100.00,BRL,2026-02-20,2026-03-02,open",
                            "i4,c4,s4,100.00,BRL,2026-02-20,2026-03-02,open"}),
              at);

  // Tuesday 3 March: s1 is taken off by hand for abuse, before its owner is even late enough.
  const auto suspended =
      site.ctl_json({"suspend", "s1", "--reason", "abuse: outgoing spam"}, sao_paulo("2026-03-03", 9));
  CHECK(suspended["action"].get<std::string>().find(":manual:suspend:s1") != std::string::npos);
  site.dispatch(sao_paulo("2026-03-03", 9, 5));
  CHECK(site.service_state("s1") == ServiceState::suspended);
  CHECK(site.suspend_reason("s1") == "abuse: outgoing spam");
  const auto by_hand = site.audit_details("c1", "suspended_by_hand");
  REQUIRE(by_hand.size() == 1);
  CHECK(by_hand[0]["_actor"].get<std::string>().rfind("operator:", 0) == 0);
  CHECK(by_hand[0]["reason"] == "abuse: outgoing spam");
  CHECK(by_hand[0]["service"] == "s1");

  for (const auto* day : {"2026-03-05", "2026-03-06", "2026-03-07", "2026-03-08", "2026-03-09"}) {
    site.walk(day);
    site.dispatch(sao_paulo(day, 6, 5));
  }
  // Monday: s2, s3 and s4 suspended for non-payment; s1 was off already and is left alone.
  CHECK(calls_with_reasons(site) == Strings{"service.suspend s1 (abuse: outgoing spam)@2026-03-03",
                                            "service.suspend s2 (non_payment)@2026-03-09",
                                            "service.suspend s3 (non_payment)@2026-03-09",
                                            "service.suspend s4 (non_payment)@2026-03-09"});

  // Refusals: s4 is suspended for non-payment (a payment lifts that, not an operator), s1 is
  // held already, s9 does not exist, and non_payment is not an operator's reason.
  const auto refused = site.ctl({"unsuspend", "s4", "--reason", "goodwill"}, sao_paulo("2026-03-10", 8));
  CHECK(refused.exit_code == 1);
  CHECK(refused.err ==
        "cobradorctl: service s4 is suspended for non_payment, not by hand: a confirmed payment or a trust "
        "release lifts it\n");
  CHECK(site.call("DELETE", "/v1/services/s4/suspension", {{"reason", "goodwill"}}, kOperatorBearer,
                  sao_paulo("2026-03-10", 8))
            .status == 409);
  const auto twice = site.call("POST", "/v1/services/s1/suspension", {{"reason", "again"}}, kOperatorBearer,
                               sao_paulo("2026-03-10", 8));
  CHECK(twice.status == 409);
  CHECK(twice.body["error"]["message"] == "service s1 is already suspended by hand: abuse: outgoing spam");
  CHECK(site.call("POST", "/v1/services/s9/suspension", {{"reason", "x"}}, kOperatorBearer,
                  sao_paulo("2026-03-10", 8))
            .status == 404);
  CHECK(site.call("POST", "/v1/services/s2/suspension", {{"reason", "non_payment"}}, kOperatorBearer,
                  sao_paulo("2026-03-10", 8))
            .status == 400);
  CHECK(site.call("POST", "/v1/services/s2/suspension", {{"reason", "x"}}, kBillingBearer,
                  sao_paulo("2026-03-10", 8))
            .status == 403);

  // Tuesday 10 March, 09:00: the operator takes s2 (already off for non-payment) over by hand
  // through the API: no panel call, the reason changes.
  const auto s2_hand =
      site.call("POST", "/v1/services/s2/suspension", {{"reason", "customer request: travelling"}},
                kOperatorBearer, sao_paulo("2026-03-10", 9));
  INFO(s2_hand.body.dump());
  CHECK(s2_hand.status == 200);
  CHECK(s2_hand.body["action"].is_null());
  CHECK(site.suspend_reason("s2") == "customer request: travelling");
  CHECK(site.audit_details("c2", "suspended_by_hand")[0]["_actor"] == "operator:ops");

  // c3 pays at 09:10 (its unsuspend is queued), and at 09:15, before any dispatcher runs, the
  // operator suspends s3 by hand: the waiting unsuspend is cancelled.
  pay(site, "i3", sao_paulo("2026-03-10", 9, 10));
  REQUIRE(unsuspends_of(site, "c3").size() == 1);
  site.ctl_json({"suspend", "s3", "--reason", "abuse: phishing page"}, sao_paulo("2026-03-10", 9, 15));
  CHECK(unsuspends_of(site, "c3")[0].state == ActionState::cancelled);
  const auto s3_cancelled = site.audit_details("c3", "action_cancelled");
  REQUIRE(s3_cancelled.size() == 1);
  CHECK(s3_cancelled[0]["rule"] ==
        "service s3 was suspended by hand (abuse: phishing page): only an operator lifts it");

  // Everyone pays; days go by. Nothing of s1, s2, s3 is unsuspended; s4 (non-payment) is.
  pay(site, "i1", sao_paulo("2026-03-10", 10));
  const auto c2_paid = site.signed_call("/v1/payments",
                                        {{"id", "p-i2"},
                                         {"invoice_id", "i2"},
                                         {"amount", "100.00"},
                                         {"currency", "BRL"},
                                         {"method", "pix"},
                                         {"status", "confirmed"},
                                         {"received_on", "2026-03-10"}},
                                        "pix-c2", sao_paulo("2026-03-10", 10));
  CHECK(c2_paid.status == 201);
  pay(site, "i4", sao_paulo("2026-03-10", 10));
  for (const auto* customer : {"c1", "c2", "c3", "c4"})
    CHECK(site.audit_details(customer, "episode_ended").size() == 1);
  CHECK(unsuspends_of(site, "c1").empty());
  CHECK(unsuspends_of(site, "c2").empty());
  site.dispatch(sao_paulo("2026-03-10", 10, 5));
  for (const auto* day : {"2026-03-11", "2026-03-12", "2026-03-13"}) {
    site.walk(day);
    site.dispatch(sao_paulo(day, 6, 5));
  }
  CHECK(calls_with_reasons(site) ==
        Strings{"service.suspend s1 (abuse: outgoing spam)@2026-03-03",
                "service.suspend s2 (non_payment)@2026-03-09", "service.suspend s3 (non_payment)@2026-03-09",
                "service.suspend s4 (non_payment)@2026-03-09", "service.unsuspend s4@2026-03-10"});
  for (const auto* service : {"s1", "s2", "s3"})
    CHECK(site.service_state(service) == ServiceState::suspended);
  CHECK(site.suspend_reason("s3") == "abuse: phishing page");

  // Friday 13th: the operator lifts s1 on the command line and s2 over the API.
  const auto lifted =
      site.ctl_json({"unsuspend", "s1", "--reason", "spam stopped"}, sao_paulo("2026-03-13", 14));
  CHECK(lifted["action"].get<std::string>().find(":manual:unsuspend:s1") != std::string::npos);
  const auto s2_lifted = site.call("DELETE", "/v1/services/s2/suspension", {{"reason", "back from travel"}},
                                   kOperatorBearer, sao_paulo("2026-03-13", 14));
  CHECK(s2_lifted.status == 202);
  site.dispatch(sao_paulo("2026-03-13", 14, 5));
  const auto all = calls_with_reasons(site);
  // Two customers' actions go out on parallel lanes: their order is not the test's business.
  Strings lifts(all.begin() + 5, all.end());
  std::sort(lifts.begin(), lifts.end());
  CHECK(lifts == Strings{"service.unsuspend s1@2026-03-13", "service.unsuspend s2@2026-03-13"});
  CHECK(site.service_state("s1") == ServiceState::active);
  CHECK(site.service_state("s2") == ServiceState::active);
  CHECK(site.service_state("s3") == ServiceState::suspended);
  const auto unsuspended = site.audit_details("c2", "unsuspended_by_hand");
  REQUIRE(unsuspended.size() == 1);
  CHECK(unsuspended[0]["_actor"] == "operator:ops");
  CHECK(unsuspended[0]["reason"] == "back from travel");
}

// A service taken over by hand while the customer still owes what it was suspended for: when
// the operator lifts the hold it stays off, now for non_payment, and the payment lifts it.
TEST_CASE("lifting a hand suspension of a customer who still owes leaves it suspended for non_payment",
          "[correctness][manual]") {
  Site site;
  const auto at = sao_paulo("2026-02-20", 9);
  site.import("customers", customers_csv({"c1,Ana,c1@example.com,,en,2024-01-10,,"}), at);
  site.import("services", services_csv({"s1,c1,hosting,noc,ana"}), at);
  site.import("invoices", invoices_csv({"i1,c1,s1,100.00,BRL,2026-02-20,2026-03-02,open"}), at);
  for (const auto* day : {"2026-03-05", "2026-03-06", "2026-03-09"}) {
    site.walk(day);
    site.dispatch(sao_paulo(day, 6, 5));
  }
  REQUIRE(site.service_state("s1") == ServiceState::suspended);
  site.ctl_json({"suspend", "s1", "--reason", "abuse"}, sao_paulo("2026-03-10", 9));
  const auto kept = site.ctl_json({"unsuspend", "s1", "--reason", "resolved"}, sao_paulo("2026-03-10", 10));
  CHECK(kept["action"].is_null());
  CHECK(kept["outcome"] ==
        "stays suspended for non_payment: the open dunning episode took it off; a payment lifts it");
  CHECK(site.suspend_reason("s1") == "non_payment");
  pay(site, "i1", sao_paulo("2026-03-10", 11));
  site.dispatch(sao_paulo("2026-03-10", 11, 5));
  CHECK(calls_with_reasons(site) ==
        Strings{"service.suspend s1 (non_payment)@2026-03-09", "service.unsuspend s1@2026-03-10"});
  CHECK(site.service_state("s1") == ServiceState::active);
}

// An unsuspension for non-payment that a dispatcher claimed and then died with (its lease
// still running) when the operator suspends the service by hand: the next dispatcher takes it
// over and, at its last look, cancels it; the operator's suspend goes out instead.
TEST_CASE("an unsuspension already claimed when the operator suspends by hand is cancelled at the last look",
          "[correctness][manual]") {
  Site site;
  const auto at = sao_paulo("2026-02-20", 9);
  site.import("customers", customers_csv({"c1,Ana,c1@example.com,,en,2024-01-10,,"}), at);
  site.import("services", services_csv({"s1,c1,hosting,noc,ana"}), at);
  site.import("invoices", invoices_csv({"i1,c1,s1,100.00,BRL,2026-02-20,2026-03-02,open"}), at);
  for (const auto* day : {"2026-03-05", "2026-03-06", "2026-03-09"}) {
    site.walk(day);
    site.dispatch(sao_paulo(day, 6, 5));
  }
  pay(site, "i1", sao_paulo("2026-03-10", 9));
  const auto unsuspend = unsuspends_of(site, "c1");
  REQUIRE(unsuspend.size() == 1);

  // A dispatcher claims it (the store call every dispatcher makes) and dies before sending.
  const auto claimed = store::in_transaction(site.db(), [&] {
    return site.db().claim_actions(sao_paulo("2026-03-10", 9, 1), "dead-host:1:x",
                                   sao_paulo("2026-03-10", 9, 2), 10, {});
  });
  REQUIRE(claimed.size() == 1);
  CHECK(claimed[0].key == unsuspend[0].key);

  const auto held =
      site.ctl_json({"suspend", "s1", "--reason", "abuse: botnet"}, sao_paulo("2026-03-10", 9, 1));
  CHECK(held["action"].get<std::string>().find(":manual:suspend:s1") !=
        std::string::npos);                                               // the panel may have it on
  CHECK(site.action(unsuspend[0].key)->state == ActionState::in_flight);  // not ours to cancel yet

  const auto later = site.dispatch(sao_paulo("2026-03-10", 9, 10));  // the lease has run out
  CHECK(later["cancelled"] == 1);
  const auto cancelled = site.action(unsuspend[0].key);
  CHECK(cancelled->state == ActionState::cancelled);
  CHECK(cancelled->last_error ==
        "the service is suspended by hand (abuse: botnet): only an operator lifts it");
  const auto audit = site.audit_details("c1", "action_cancelled");
  REQUIRE(audit.size() == 1);
  CHECK(audit[0]["action"] == unsuspend[0].key);
  CHECK(audit[0]["_actor"] == "system");
  CHECK(calls_with_reasons(site) == Strings{"service.suspend s1 (non_payment)@2026-03-09",
                                            "service.suspend s1 (abuse: botnet)@2026-03-10"});
  CHECK(site.service_state("s1") == ServiceState::suspended);
  CHECK(site.suspend_reason("s1") == "abuse: botnet");
}
