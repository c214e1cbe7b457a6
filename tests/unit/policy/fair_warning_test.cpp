// Fair warning (SPEC §5 min_notice_days): a suspension or lock waits for the warning the
// customer was actually given — the notice of the latest earlier stage that notifies and ran
// — and holds, with an operator alert, while that warning never went out.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "policy/decide.hpp"
#include "policy/fair_warning.hpp"
#include "policy_test_support.hpp"

using namespace cobrador;
using namespace cobrador::policy;
using cobrador::policy_tests::d;
using cobrador::policy_tests::service;
using cobrador::policy_tests::walk_of;

// A namespace of its own: unity builds put several test files in one translation unit.
namespace fair_warning_cases {

namespace {

const char* kLadder = R"(timezone: UTC
run_at: "06:00"
min_notice_days: 2
stages:
  - name: reminder
    when: { days_overdue: 3 }
    notify: [email]
    template: payment_reminder
  - name: warning
    when: { days_overdue: 4 }
    notify: [email, sms]
    template: suspension_warning
  - name: suspend
    when: { days_overdue: 5 }
    suspend: billed_services
    notify: [email]
    template: suspended
  - name: lock
    when: { days_overdue: 30 }
    lock: true
    notify: [email]
    template: locked
)";

Policy ladder(const std::string& extra = "") {
  auto policy = parse_policy(kLadder + extra, "policy.yaml");
  INFO((policy ? "" : policy.error().message));
  REQUIRE(policy);
  return *policy;
}

Instant at(const char* text) { return *parse_instant(text); }

using Runs = std::map<std::string, StageRun>;
using Notices = std::map<std::string, StageNotices>;

const Runs kWarned{{"reminder", {d("2026-03-05"), false}}, {"warning", {d("2026-03-06"), false}}};
constexpr std::size_t kSuspend = 2;
constexpr std::size_t kLock = 3;

// Ana, day 5 of an invoice due 2 March: the reminder and the warning ran on days 3 and 4.
CustomerSnapshot ana(Notices notices) {
  CustomerSnapshot c;
  c.id = 7;
  c.ext_id = "ana";
  c.name = "Ana Silva";
  c.emails = {"ana@example.com"};
  c.phones = {"+5511999990000"};
  c.services = {service(1, "svc-1", ServiceKind::hosting, "whm1", "ana", ServiceState::active)};
  c.open_invoices.push_back({1, "inv-1", d("2026-03-02"), Money{4990, *Currency::parse("BRL")}, {}});
  c.episode = Episode{100, 1, d("2026-03-03"), kWarned, std::move(notices), ""};
  c.last_episode_number = 1;
  return c;
}

}  // namespace

// The warning is the latest earlier stage with notify that ran; a superseded one is not.
TEST_CASE("the warning of an effect stage is the latest earlier notifying stage that ran", "[fair_warning]") {
  const auto policy = ladder();
  CHECK(warning_stage(policy, kSuspend, kWarned)->name == "warning");
  CHECK(warning_stage(policy, kSuspend, {{"reminder", {d("2026-03-05"), false}}})->name == "reminder");
  // Back from an outage: the reminder was superseded by the warning the same day.
  CHECK(
      warning_stage(policy, kSuspend, {{"reminder", {d("2026-03-09"), true}}, {"warning", {d("2026-03-09")}}})
          ->name == "warning");
  // The lock's warning is the suspension's own notice; a suspension superseded by the lock is not.
  CHECK(warning_stage(policy, kLock, {{"warning", {}}, {"suspend", {}}})->name == "suspend");
  CHECK(warning_stage(policy, kLock, {{"warning", {}}, {"suspend", {{}, true}}})->name == "warning");
  CHECK(warning_stage(policy, kSuspend, {}) == nullptr);
}

// Every notice of the warning failed or died: the suspension waits a day at a time.
TEST_CASE("a warning whose notices all failed or died holds the suspension", "[fair_warning]") {
  const auto policy = ladder();
  const Notices notices{{"reminder", {at("2026-03-05T06:01:00Z"), 0, 0}}, {"warning", {std::nullopt, 0, 2}}};
  const auto hold = fair_warning_hold(policy, kSuspend, kWarned, notices, d("2026-03-09"));
  REQUIRE(hold);
  CHECK(hold->warning == "warning");
  CHECK(hold->undelivered);
  CHECK(hold->until == d("2026-03-10"));
  // The reminder did go out, long enough ago; it is not the warning.
  CHECK(
      hold->reason ==
      "min_notice_days 2: the warning (stage 'warning') never went out: all 2 of its notices ended failed or "
      "dead");
  const Notices one{{"warning", {std::nullopt, 0, 1}}};
  CHECK(fair_warning_hold(policy, kSuspend, kWarned, one, d("2026-03-09"))->reason ==
        "min_notice_days 2: the warning (stage 'warning') never went out: its notice ended failed or dead");
}

// The warning stage ran but queued nothing: the customer has no contact on its channels.
TEST_CASE("a warning that found no contact holds the suspension", "[fair_warning]") {
  const auto policy = ladder();
  const Notices notices{{"reminder", {at("2026-03-05T06:01:00Z"), 0, 0}}};
  const auto hold = fair_warning_hold(policy, kSuspend, kWarned, notices, d("2026-03-07"));
  REQUIRE(hold);
  CHECK(hold->undelivered);
  CHECK(hold->until == d("2026-03-08"));
  CHECK(hold->reason ==
        "min_notice_days 2: the warning (stage 'warning') never went out: no contact on its channels (email, "
        "sms)");
}

// min_notice_days counts from the warning's delivery, not from the reminder's or anything else.
TEST_CASE("min_notice_days counts from the warning's own delivery", "[fair_warning]") {
  const auto policy = ladder();
  // The reminder went out on day 3; the warning, late, on 8 March at 14:00.
  const Notices notices{{"reminder", {at("2026-03-05T06:01:00Z"), 0, 0}},
                        {"warning", {at("2026-03-08T14:00:00Z"), 0, 1}}};
  const auto hold = fair_warning_hold(policy, kSuspend, kWarned, notices, d("2026-03-09"));
  REQUIRE(hold);
  CHECK_FALSE(hold->undelivered);  // one of its notices (the e-mail) went out
  CHECK(hold->until == d("2026-03-10"));
  CHECK(hold->reason == "min_notice_days 2: the warning (stage 'warning') went out 2026-03-08T14:00:00Z");
  CHECK_FALSE(fair_warning_hold(policy, kSuspend, kWarned, notices, d("2026-03-10")));
}

// A warning still queued holds the suspension until tomorrow, also when one of its notices went out.
TEST_CASE("a warning still queued holds the suspension", "[fair_warning]") {
  const auto policy = ladder();
  const auto queued =
      fair_warning_hold(policy, kSuspend, kWarned, {{"warning", {std::nullopt, 2, 0}}}, d("2026-03-07"));
  REQUIRE(queued);
  CHECK_FALSE(queued->undelivered);
  CHECK(queued->until == d("2026-03-08"));
  CHECK(queued->reason == "min_notice_days 2: the warning (stage 'warning') has not gone out yet");
  const auto half = fair_warning_hold(policy, kSuspend, kWarned,
                                      {{"warning", {at("2026-03-06T06:01:00Z"), 1, 0}}}, d("2026-03-09"));
  REQUIRE(half);
  CHECK(half->until == d("2026-03-10"));
  CHECK(half->reason ==
        "min_notice_days 2: the warning (stage 'warning') went out 2026-03-06T06:01:00Z and another of its "
        "notices is still queued");
}

// min_notice_days 0 turns fair warning off; an episode with no warning run has none to wait for.
TEST_CASE("fair warning is off with min_notice_days 0 or no warning stage run", "[fair_warning]") {
  const auto policy = ladder();
  CHECK_FALSE(fair_warning_hold(policy, kSuspend, {}, {}, d("2026-03-07")));
  auto off = ladder();
  off.min_notice_days = 0;
  CHECK_FALSE(
      fair_warning_hold(off, kSuspend, kWarned, {{"warning", {std::nullopt, 0, 2}}}, d("2026-03-07")));
}

// decide(): the undelivered warning holds the suspension, says why, and alerts the operator.
TEST_CASE("decide holds a suspension whose warning never went out and alerts the operator",
          "[fair_warning][decide]") {
  const auto policy = ladder();
  const auto c = ana({{"reminder", {at("2026-03-05T06:01:00Z"), 0, 0}}, {"warning", {std::nullopt, 0, 2}}});
  const auto decision = decide(c, policy, walk_of(policy, "2026-03-09"));
  CHECK(decision.stages_run.empty());
  REQUIRE(decision.explanations.size() == 2);
  CHECK(decision.explanations[0].event == "stage_held");
  CHECK(decision.explanations[0].stage == "suspend");
  CHECK(
      decision.explanations[0].rule ==
      "min_notice_days 2: the warning (stage 'warning') never went out: all 2 of its notices ended failed or "
      "dead; next look 2026-03-10");
  CHECK(decision.next_evaluation == d("2026-03-10"));
  REQUIRE(decision.alerts.size() == 1);
  CHECK(decision.alerts[0].kind == "warning_undelivered");
  CHECK(decision.alerts[0].subject == "customer:ana:episode:1");
  CHECK(
      decision.alerts[0].message ==
      "customer ana (Ana Silva): stage 'suspend' is held because min_notice_days 2: the warning (stage "
      "'warning') never went out: all 2 of its notices ended failed or dead. Correct or add the contact (the "
      "next walk sends the warning to it), or retry the notice once its channel works (cobradorctl retry "
      "ACTION): the stage runs min_notice_days after the warning goes out");
  // The warning is queued again to today's contacts: the same ones, so the same keys, which
  // the store already has (it adds nothing and writes no row for them).
  CHECK(decision.explanations[1].event == "warning_queued_again");
  CHECK(decision.explanations[1].stage == "warning");
  REQUIRE(decision.actions.size() == 2);
  CHECK(decision.actions[0].key == "c7:e1:warning:notify:email:ana@example.com");
  CHECK(decision.actions[1].key == "c7:e1:warning:notify:sms:+5511999990000");
}

// The operator corrects the address the warning bounced from: the next walk sends the warning
// to the new one, under a key of its own.
TEST_CASE("a warning that never went out goes to a corrected contact", "[fair_warning][decide]") {
  const auto policy = ladder();
  auto c = ana({{"warning", {std::nullopt, 0, 1}}});
  c.emails = {"ana.silva@example.com"};
  c.phones.clear();
  const auto decision = decide(c, policy, walk_of(policy, "2026-03-09"));
  REQUIRE(decision.actions.size() == 1);
  CHECK(decision.actions[0].key == "c7:e1:warning:notify:email:ana.silva@example.com");
  CHECK(decision.actions[0].stage == "warning");
  const auto payload = nlohmann::json::parse(decision.actions[0].payload);
  CHECK(payload["template"] == "suspension_warning");
  CHECK(payload["to"] == "ana.silva@example.com");
  // The SMS channel has no contact now: not said again every day.
  for (const auto& line : decision.explanations) CHECK(line.event != "notice_skipped");
}

// The operator retries the warning: queued, it still holds; once out, min_notice_days later the
// suspension runs.
TEST_CASE("a retried warning lets the suspension run min_notice_days after it went out",
          "[fair_warning][decide]") {
  const auto policy = ladder();
  auto c = ana({{"warning", {std::nullopt, 1, 1}}});  // the e-mail is retried, the SMS died
  const auto queued = decide(c, policy, walk_of(policy, "2026-03-10"));
  CHECK(queued.stages_run.empty());
  CHECK(queued.alerts.empty());
  c.episode->notices["warning"] = {at("2026-03-10T15:00:00Z"), 0, 1};
  CHECK(decide(c, policy, walk_of(policy, "2026-03-11")).stages_run.empty());
  const auto fair = decide(c, policy, walk_of(policy, "2026-03-12"));
  CHECK(fair.stages_run == std::vector<std::string>{"suspend"});
  CHECK(fair.actions.front().kind == ActionKind::suspend);
}

// Today's warning found no contact at all: the suspension due the same day waits, with an alert.
TEST_CASE("a customer with no contact is not suspended as if warned", "[fair_warning][decide]") {
  const auto policy = ladder();
  auto c = ana({});
  c.emails.clear();
  c.phones.clear();
  c.episode.reset();
  // Back after an outage on day 7: the warning (no contact) and the suspension are due together.
  const auto decision = decide(c, policy, walk_of(policy, "2026-03-09"));
  CHECK(decision.stages_run == std::vector<std::string>{"warning"});
  CHECK(decision.actions.empty());
  REQUIRE(decision.alerts.size() == 1);
  CHECK(decision.explanations.back().rule ==
        "min_notice_days 2: the warning (stage 'warning') never went out: no contact on its channels (email, "
        "sms); next look 2026-03-10");
}

}  // namespace fair_warning_cases
