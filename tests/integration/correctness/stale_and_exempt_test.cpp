// SPEC §10, points 4 and 6: a notice of an episode that ended is cancelled, never sent (both
// while it waits in the outbox and when a dispatcher that died holding it is replaced), and
// exemptions are decided by the policy before anything is queued, for every panel type.
#include <catch2/catch.hpp>

#include <algorithm>
#include <thread>

#include "site.hpp"
#include "support/background_process.hpp"

using namespace cobrador;
using namespace cobrador::testing;
using nlohmann::json;
using Strings = std::vector<std::string>;

namespace {

void seed_one(Site& site, const std::string& id, const std::string& tags = "",
              const std::string& exempt = "") {
  const auto at = sao_paulo("2026-02-20", 9);
  site.import("customers",
              customers_csv(
                  {fmt::format("{0},Customer {0},{0}@example.com,,en,2024-01-10,{1},{2}", id, tags, exempt)}),
              at);
  site.import("services", services_csv({fmt::format("s{0},{1},hosting,noc,acct-{0}", id.substr(1), id)}), at);
  site.import(
      "invoices",
      invoices_csv({fmt::format("i{0},{1},,100.00,BRL,2026-02-20,2026-03-02,open", id.substr(1), id)}), at);
}

json pix_payment(const std::string& id, const std::string& invoice, const std::string& day) {
  return {{"id", id},        {"invoice_id", invoice},  {"amount", "100.00"},    {"currency", "BRL"},
          {"method", "pix"}, {"reference", "E-" + id}, {"status", "confirmed"}, {"received_on", day}};
}

Strings stages_mailed(Site& site) {
  Strings out;
  for (const auto& m : site.mails()) out.push_back(m.to + " " + m.stage + "@" + m.date);
  return out;
}

}  // namespace

// Friday's warning waits in the outbox (no dispatcher runs over the weekend); the customer pays
// on Friday night; Monday's dispatcher finds it cancelled and sends nothing.
TEST_CASE("a warning queued on Friday and paid on Friday night is cancelled, not sent on Monday",
          "[correctness][stale]") {
  Site site;
  seed_one(site, "c1");
  site.walk("2026-03-05");
  site.dispatch(sao_paulo("2026-03-05", 6, 5));
  site.walk("2026-03-06");  // Friday: the warning is queued; the dispatcher is down until Monday
  store::ActionFilter notices;
  notices.kind = ActionKind::notify;
  notices.state = ActionState::pending;
  const auto queued = site.db().actions(notices);
  REQUIRE(queued.size() == 1);
  CHECK(queued[0].stage == "warning");

  const auto paid = site.signed_call("/v1/payments", pix_payment("p1", "i1", "2026-03-06"), "friday-night",
                                     sao_paulo("2026-03-06", 22));
  REQUIRE(paid.status == 201);
  const auto warning = site.action(queued[0].key);
  CHECK(warning->state == ActionState::cancelled);
  CHECK(warning->last_error == "episode 1 ended before it went out: nothing is overdue any more");
  const auto cancelled = site.audit_details("c1", "action_cancelled");
  REQUIRE(cancelled.size() == 1);
  CHECK(cancelled[0]["action"] == queued[0].key);
  CHECK(cancelled[0]["_actor"] == "bank:bank-pix");
  CHECK(cancelled[0]["_at"] == "2026-03-07T01:00:00Z");

  for (const auto* day : {"2026-03-07", "2026-03-08", "2026-03-09"}) site.walk(day);
  const auto monday = site.dispatch(sao_paulo("2026-03-09", 6, 5));
  CHECK(monday["claimed"] == 0);
  CHECK(stages_mailed(site) == Strings{"c1@example.com reminder@2026-03-05"});
  CHECK(site.panel_calls().empty());
}

// The dispatcher claimed Friday's warning and died while the mail server said nothing; the
// customer paid that night; Monday's dispatcher takes the expired lease over and, at its last
// look before sending, cancels the warning instead of sending it.
TEST_CASE("a warning held by a dispatcher that died is cancelled at the last look, not sent",
          "[correctness][stale]") {
  Site site;
  seed_one(site, "c1");
  site.walk("2026-03-05");
  site.dispatch(sao_paulo("2026-03-05", 6, 5));
  site.walk("2026-03-06");

  // A mail server that accepts the connection and never greets: the send hangs in flight.
  FakePanel silent([](const FakeRequest&) {
    return FakeResponse{200, {}, "", std::chrono::milliseconds(60000)};
  });
  site.set_smtp_url("smtp://127.0.0.1:" + std::to_string(silent.port()));
  {
    BackgroundProcess friday({COBRADORCTL_PATH, "-c", site.config_path(), "dispatch", "--until-empty"},
                             {{"COBRADOR_NOW", format_instant(sao_paulo("2026-03-06", 6, 5))}},
                             site.dir / "friday.log");
    store::ActionFilter in_flight;
    in_flight.state = ActionState::in_flight;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (site.db().actions(in_flight).empty() && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(300));  // well into the send
    REQUIRE(site.db().actions(in_flight).size() == 1);
    REQUIRE(friday.kill_now());
  }
  site.set_smtp_url("");

  const auto paid = site.signed_call("/v1/payments", pix_payment("p1", "i1", "2026-03-06"), "friday-night",
                                     sao_paulo("2026-03-06", 22));
  REQUIRE(paid.status == 201);
  store::ActionFilter notices;
  notices.kind = ActionKind::notify;
  const auto warning_key = site.db().actions(notices).back().key;
  CHECK(site.action(warning_key)->state == ActionState::in_flight);  // still held by the dead one

  for (const auto* day : {"2026-03-07", "2026-03-08", "2026-03-09"}) site.walk(day);
  const auto monday = site.dispatch(sao_paulo("2026-03-09", 6, 5));
  CHECK(monday["claimed"] == 1);
  CHECK(monday["cancelled"] == 1);
  const auto warning = site.action(warning_key);
  CHECK(warning->state == ActionState::cancelled);
  CHECK(warning->last_error == "episode 1 ended before it went out: nothing is overdue any more");
  const auto cancelled = site.audit_details("c1", "action_cancelled");
  REQUIRE(cancelled.size() == 1);
  CHECK(cancelled[0]["action"] == warning_key);
  CHECK(cancelled[0]["_actor"] == "system");
  CHECK(cancelled[0]["_at"] == "2026-03-09T09:05:00Z");
  CHECK(stages_mailed(site) == Strings{"c1@example.com reminder@2026-03-05"});
}

// The same overdue customer on every panel type: with exempt_until or the no-dunning tag no
// panel hears a thing (the policy held or skipped the stage, the audit says which rule); a
// customer without either, on the same five panels, is suspended on each, which shows the
// panels would have been called.
TEST_CASE("exemptions are decided by the policy: no panel of any type is called", "[correctness][exempt]") {
  Site site;
  const auto at = sao_paulo("2026-02-20", 9);
  site.import("customers",
              customers_csv({"c1,Exempt,c1@example.com,,en,2024-01-10,,2026-12-31",
                             "c2,Tagged,c2@example.com,,en,2024-01-10,no-dunning,",
                             "c3,Control,c3@example.com,,en,2024-01-10,,"}),
              at);
  Strings services;
  for (const auto* customer : {"c1", "c2", "c3"}) {
    for (const auto* panel : {"noc", "whm1", "da1", "plesk1", "router"}) {
      services.push_back(fmt::format("{0}-{1},{0},hosting,{1},{0}{1}", customer, panel));
    }
  }
  site.import("services", services_csv(services), at);
  site.import("invoices",
              invoices_csv({"i1,c1,,100.00,BRL,2026-02-20,2026-03-02,open",
                            "i2,c2,,100.00,BRL,2026-02-20,2026-03-02,open",
                            "i3,c3,,100.00,BRL,2026-02-20,2026-03-02,open"}),
              at);
  for (const auto* day : {"2026-03-03", "2026-03-04", "2026-03-05", "2026-03-06", "2026-03-07", "2026-03-08",
                          "2026-03-09", "2026-03-10", "2026-03-11"}) {
    site.walk(day);
    site.dispatch(sao_paulo(day, 6, 5));
  }

  const auto calls = site.panel_calls();
  Strings types;
  for (const auto& call : calls) types.push_back(call.panel_type);
  std::sort(types.begin(), types.end());
  CHECK(types == Strings{"cpanel", "directadmin", "exec", "plesk", "webhook"});  // the control's five only
  for (const auto& call : calls) {
    if (call.panel_type == "webhook" || call.panel_type == "exec") CHECK(call.service.rfind("c3-", 0) == 0);
  }
  store::ActionFilter control;
  control.customer_id = site.db().customer("c3")->id;
  control.kind = ActionKind::suspend;
  control.state = ActionState::done;
  CHECK(site.db().actions(control).size() == 5);
  for (const auto* customer : {"c1", "c2"}) {
    for (const auto* panel : {"noc", "whm1", "da1", "plesk1", "router"}) {
      CHECK(site.service_state(fmt::format("{}-{}", customer, panel)) == ServiceState::active);
    }
    store::ActionFilter panel_actions;
    panel_actions.customer_id = site.db().customer(customer)->id;
    panel_actions.kind = ActionKind::suspend;
    CHECK(site.db().actions(panel_actions).empty());
  }

  // exempt_until holds the suspension (notices still go) and says so on each day it is due.
  const auto held = site.audit_details("c1", "stage_held");
  REQUIRE(!held.empty());
  for (const auto& row : held) {
    CHECK(row["stage"] == "suspend");
    CHECK(row["rule"] == "exempt_until 2026-12-31; next look 2027-01-01");
  }
  CHECK(site.audit_details("c1", "stage_run").size() == 2);
  // The warning does not promise a suspension before the exemption ends.
  store::ActionFilter notices;
  notices.customer_id = site.db().customer("c1")->id;
  notices.kind = ActionKind::notify;
  const auto c1_notices = site.db().actions(notices);
  REQUIRE(c1_notices.size() == 2);
  CHECK(json::parse(c1_notices[1].payload)["variables"]["next_step_date"] == "2027-01-01");
  // no-dunning: nothing at all, and one line that says why.
  const auto exempt = site.audit_details("c2", "dunning_exempt");
  REQUIRE(exempt.size() == 1);
  CHECK(exempt[0]["rule"] == "tag no-dunning: no stage runs while it is on");
  CHECK(site.audit_details("c2", "stage_run").empty());

  Strings mails;
  for (const auto& m : site.mails()) mails.push_back(m.to + " " + m.stage + "@" + m.date);
  std::sort(mails.begin(), mails.end());
  CHECK(mails == Strings{"c1@example.com reminder@2026-03-05", "c1@example.com warning@2026-03-06",
                         "c3@example.com reminder@2026-03-05", "c3@example.com suspend@2026-03-09",
                         "c3@example.com warning@2026-03-06"});
}

// An open promise is the third exemption, and it too is decided by the policy alone: c4 is
// granted a 5-day trust release after her reminder (day 3, Thursday 5 March), so the warning
// and Monday's suspension wait while it runs; she pays early on its deadline day (Tuesday 10),
// and no panel of any type ever hears of her. Without the promise her five services would have
// been suspended on Monday like those of the control c3, on the same five panels.
TEST_CASE("an open promise is decided by the policy: no panel of any type is called",
          "[correctness][exempt]") {
  Site site(kLadderPolicy +
            "trust_release: { enabled: true, days: 5, min_customer_months: 6, new_customer_days: 0,\n"
            "                 max_per_12_months: 2, blocked_after_broken_promise_days: 365 }\n");
  const auto at = sao_paulo("2026-02-20", 9);
  site.import("customers",
              customers_csv({"c3,Control,c3@example.com,,en,2024-01-10,,",
                             "c4,Promised,c4@example.com,,en,2024-01-10,,"}),
              at);
  Strings services;
  for (const auto* customer : {"c3", "c4"}) {
    for (const auto* panel : {"noc", "whm1", "da1", "plesk1", "router"}) {
      services.push_back(fmt::format("{0}-{1},{0},hosting,{1},{0}{1}", customer, panel));
    }
  }
  site.import("services", services_csv(services), at);
  site.import("invoices",
              invoices_csv({"i3,c3,,100.00,BRL,2026-02-20,2026-03-02,open",
                            "i4,c4,,100.00,BRL,2026-02-20,2026-03-02,open"}),
              at);
  for (const auto* day : {"2026-03-03", "2026-03-04", "2026-03-05", "2026-03-06", "2026-03-07", "2026-03-08",
                          "2026-03-09", "2026-03-10", "2026-03-11", "2026-03-12"}) {
    const std::string today = day;
    if (today == "2026-03-10") {
      site.import("payments", payments_csv({"p4,i4,100.00,BRL,pix,bank,E4,confirmed,2026-03-10"}),
                  sao_paulo(day, 5));
    }
    site.walk(day);
    if (today == "2026-03-05") {
      site.ctl_json({"--json", "trust-release", "c4", "--reason", "asked on the phone; pays on Monday"},
                    sao_paulo(day, 10));
    }
    site.dispatch(sao_paulo(day, 6, 5));
  }

  for (const auto& call : site.panel_calls()) {
    INFO(call.panel_type << " " << call.type << " " << call.service);
    if (call.panel_type == "webhook" || call.panel_type == "exec") CHECK(call.service.rfind("c3-", 0) == 0);
  }
  CHECK(site.panel_calls().size() == 5);  // the control's five suspensions
  store::ActionFilter c4_actions;
  c4_actions.customer_id = site.db().customer("c4")->id;
  // The reminder, and the notice of the trust release with its deadline (issue 18); nothing
  // for a panel.
  std::vector<std::string> templates;
  for (const auto& action : site.db().actions(c4_actions)) {
    INFO(action.key);
    CHECK(action.kind == ActionKind::notify);
    templates.push_back(nlohmann::json::parse(action.payload).value("template", ""));
  }
  std::sort(templates.begin(), templates.end());
  CHECK(templates == std::vector<std::string>{"payment_reminder", "trust_release_granted"});
  for (const auto* panel : {"noc", "whm1", "da1", "plesk1", "router"}) {
    CHECK(site.service_state(fmt::format("c4-{}", panel)) == ServiceState::active);
  }
  CHECK(site.audit_details("c4", "promise_kept").size() == 1);
  CHECK(site.audit_details("c4", "episode_ended").size() == 1);
}
