// The open promise's rule (policy/promise_rules) and what decide() does with it: stages wait
// until the deadline; on the deadline day an unpaid debt breaks the promise and the released
// services are suspended again at once, with no new notices.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "policy/decide.hpp"
#include "policy/promise_rules.hpp"
#include "policy_test_support.hpp"

using namespace cobrador;
using namespace cobrador::policy;
using cobrador::policy_tests::d;
using cobrador::policy_tests::service;
using cobrador::policy_tests::walk_of;

namespace {

Promise open_promise(const char* granted, const char* deadline,
                     std::vector<std::string> released = {"svc-1"}) {
  Promise p;
  p.id = 9;
  p.granted_on = d(granted);
  p.deadline = d(deadline);
  p.released_services = std::move(released);
  return p;
}

Policy ladder() {
  auto policy = parse_policy(R"(timezone: UTC
run_at: "06:00"
min_notice_days: 1
no_suspend_on: [sun]
stages:
  - name: reminder
    when: { days_overdue: 3 }
    notify: [email]
    template: payment_reminder
  - name: warning
    when: { days_overdue: 4 }
    notify: [email]
    template: suspension_warning
  - name: suspend
    when: { days_overdue: 5 }
    suspend: billed_services
    notify: [email]
    template: suspended
)",
                             "policy.yaml");
  REQUIRE(policy);
  return *policy;
}

// Ana owes an invoice due 2 March 2026; her hosting is on panel whm1.
CustomerSnapshot ana(ServiceState state) {
  CustomerSnapshot c;
  c.id = 7;
  c.ext_id = "cus-7";
  c.name = "Ana";
  c.emails = {"ana@example.com"};
  c.services = {service(1, "svc-1", ServiceKind::hosting, "whm1", "ana", state,
                        state == ServiceState::suspended ? std::string(kNonPayment) : "")};
  c.open_invoices.push_back({1, "inv-1", d("2026-03-02"), Money{4990, *Currency::parse("BRL")}, {}});
  c.episode = Episode{100, 1, d("2026-03-03"), {}, {}, ""};
  c.last_episode_number = 1;
  return c;
}

}  // namespace

// No promise, or one that is closed, changes nothing.
TEST_CASE("without an open promise the stages run as the policy says", "[promise]") {
  CHECK(promise_step(std::nullopt, d("2026-03-07")).kind == PromiseStep::Kind::none);
  auto kept = open_promise("2026-03-07", "2026-03-08");
  kept.outcome = PromiseOutcome::kept;
  CHECK(promise_step(kept, d("2026-03-09")).kind == PromiseStep::Kind::none);
}

// Before the deadline the stages are paused until it; the deadline day itself is due.
TEST_CASE("an open promise pauses the stages until its deadline day", "[promise]") {
  const auto promise = open_promise("2026-03-07", "2026-03-10");
  const auto before = promise_step(promise, d("2026-03-09"));
  CHECK(before.kind == PromiseStep::Kind::paused);
  CHECK(before.until == d("2026-03-10"));
  CHECK(promise_step(promise, d("2026-03-07")).kind == PromiseStep::Kind::paused);
  CHECK(promise_step(promise, d("2026-03-10")).kind == PromiseStep::Kind::due);
  CHECK(promise_step(promise, d("2026-03-15")).kind == PromiseStep::Kind::due);
}

// A release granted on day 3 (before any warning): day 4's warning does not go out, and the
// customer is next looked at on the deadline.
TEST_CASE("decide runs no stage while a promise is open", "[promise][decide]") {
  const auto policy = ladder();
  auto c = ana(ServiceState::active);
  c.episode->runs["reminder"] = StageRun{d("2026-03-05"), false};
  c.promise = open_promise("2026-03-05", "2026-03-08", {});
  const auto day4 = decide(c, policy, walk_of(policy, "2026-03-06"));
  CHECK(day4.actions.empty());
  CHECK(day4.stages_run.empty());
  CHECK(day4.next_evaluation == d("2026-03-08"));
  REQUIRE(day4.explanations.size() == 1);
  CHECK(day4.explanations[0].event == "stages_paused");
  CHECK(day4.broken_promise == 0);
}

// Suspended on day 5, released for a day: on the deadline, unpaid, the service is suspended
// again through a suspend action for non-payment, and no notice is planned.
TEST_CASE("a promise broken on its deadline suspends again with no new notice", "[promise][decide]") {
  const auto policy = ladder();
  auto c = ana(ServiceState::active);  // the release's unsuspend was carried out
  for (const char* stage : {"reminder", "warning", "suspend"})
    c.episode->runs[stage] = StageRun{d("2026-03-07"), false};
  c.promise = open_promise("2026-03-07", "2026-03-09");
  const auto day = decide(c, policy, walk_of(policy, "2026-03-09"));  // a Monday
  CHECK(day.broken_promise == 9);
  REQUIRE(day.actions.size() == 1);
  CHECK(day.actions[0].kind == ActionKind::suspend);
  CHECK(day.actions[0].target == "svc-1");
  CHECK(day.actions[0].key == "c7:e1:promise9:suspend:svc-1");
  const auto payload = nlohmann::json::parse(day.actions[0].payload);
  CHECK(payload["reason"] == "non_payment");
  CHECK(payload["type"] == "service.suspend");
  CHECK(day.explanations.front().event == "promise_broken");
}

// A broken promise suspends again like any suspension (issue 18, point 4): a deadline on a
// Sunday, with no_suspend_on: [sun], waits for Monday; the promise stays open meanwhile.
TEST_CASE("a promise broken on a day without suspensions waits for the next allowed day",
          "[promise][decide]") {
  auto policy = ladder();
  auto c = ana(ServiceState::active);
  for (const char* stage : {"reminder", "warning", "suspend"})
    c.episode->runs[stage] = StageRun{d("2026-03-07"), false};
  c.promise = open_promise("2026-03-07", "2026-03-08");
  const auto sunday = decide(c, policy, walk_of(policy, "2026-03-08"));
  CHECK(sunday.broken_promise == 0);
  CHECK(sunday.actions.empty());
  CHECK(sunday.next_evaluation == d("2026-03-09"));
  REQUIRE(sunday.explanations.size() == 1);
  CHECK(sunday.explanations[0].event == "stages_paused");
  CHECK(sunday.explanations[0].rule ==
        "trust release #9 due 2026-03-08 passed unpaid; no_suspend_on: sun: suspended again on 2026-03-09");

  const auto monday = decide(c, policy, walk_of(policy, "2026-03-09"));
  CHECK(monday.broken_promise == 9);
  REQUIRE(monday.actions.size() == 1);
  CHECK(monday.actions[0].kind == ActionKind::suspend);

  // A holiday on Monday moves it to Tuesday.
  policy.no_suspend_on_holidays = true;
  policy.holidays.insert(d("2026-03-09"));
  const auto holiday = decide(c, policy, walk_of(policy, "2026-03-09"));
  CHECK(holiday.broken_promise == 0);
  CHECK(holiday.next_evaluation == d("2026-03-10"));
  CHECK(holiday.explanations.at(0).rule ==
        "trust release #9 due 2026-03-08 passed unpaid; no_suspend_on: holidays: suspended again on "
        "2026-03-10");
}

// A release granted before the suspension ran (day 3): on the deadline the due stages are
// taken silently — the warning is skipped and the suspension runs without its notice.
TEST_CASE("a promise broken before the suspension ran suspends without notices", "[promise][decide]") {
  const auto policy = ladder();
  auto c = ana(ServiceState::active);
  c.episode->runs["reminder"] = StageRun{d("2026-03-05"), false};
  c.promise = open_promise("2026-03-05", "2026-03-09", {});
  const auto day = decide(c, policy, walk_of(policy, "2026-03-09"));
  CHECK(day.broken_promise == 9);
  CHECK(day.stages_run == std::vector<std::string>{"suspend"});
  CHECK(day.stages_superseded == std::vector<std::string>{"warning"});
  REQUIRE(day.actions.size() == 1);
  CHECK(day.actions[0].kind == ActionKind::suspend);
  CHECK(day.actions[0].key == "c7:e1:suspend:suspend:svc-1");
}

// A debt paid while the promise runs ends the episode (and the store keeps the promise): the
// promise rule is not even asked.
TEST_CASE("a paid debt ends the episode although a promise is open", "[promise][decide]") {
  const auto policy = ladder();
  auto c = ana(ServiceState::active);
  c.promise = open_promise("2026-03-07", "2026-03-08");
  c.open_invoices.clear();
  const auto day = decide(c, policy, walk_of(policy, "2026-03-08"), Occasion::event);
  CHECK(day.end_episode);
  CHECK(day.broken_promise == 0);
}
