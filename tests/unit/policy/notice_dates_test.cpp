// The next step's date a notice names is checked when it actually goes out: never a day
// already past, never sooner than min_notice_days after it for a suspension, and then on a day
// suspensions are allowed.
#include <catch2/catch.hpp>

#include "policy/notice_dates.hpp"
#include "policy_test_support.hpp"

using namespace cobrador;
using namespace cobrador::policy;
using cobrador::policy_tests::d;

// A namespace of its own: unity builds put several test files in one translation unit.
namespace notice_dates_cases {

namespace {

Policy shipped_like(int min_notice_days = 1) {
  auto policy = parse_policy(
      "timezone: America/Sao_Paulo\nrun_at: \"06:00\"\n"
      "no_suspend_on: [fri, sat, sun, holidays]\nholidays: [2026-03-10]\n"
      "min_notice_days: " +
          std::to_string(min_notice_days) +
          "\nstages:\n"
          "  - name: reminder\n    when: { days_overdue: 3 }\n    notify: [email]\n"
          "    template: payment_reminder\n"
          "  - name: warning\n    when: { days_overdue: 4 }\n    notify: [email]\n"
          "    template: suspension_warning\n"
          "  - name: suspend\n    when: { days_overdue: 5 }\n    suspend: billed_services\n",
      "policy.yaml");
  INFO((policy ? "" : policy.error().message));
  REQUIRE(policy);
  return *policy;
}

}  // namespace

// The warning planned on Friday 6 March names Monday 9 March; sent on time, that stays.
TEST_CASE("a notice sent on time keeps its planned date", "[notice_dates]") {
  const auto policy = shipped_like();
  const auto* suspend = policy.find_stage("suspend");
  CHECK(next_step_date_at_send(policy, suspend, d("2026-03-09"), d("2026-03-06")) == d("2026-03-09"));
  CHECK(next_step_date_at_send(policy, policy.find_stage("warning"), d("2026-03-06"), d("2026-03-05")) ==
        d("2026-03-06"));
}

// Sent late, a suspension is named no sooner than min_notice_days after the sending, on a day
// suspensions are allowed (10 March is a holiday here, 13 to 15 a weekend with Friday).
TEST_CASE("a late warning names the first allowed day min_notice_days after it went out", "[notice_dates]") {
  const auto policy = shipped_like();
  const auto* suspend = policy.find_stage("suspend");
  CHECK(next_step_date_at_send(policy, suspend, d("2026-03-09"), d("2026-03-09")) == d("2026-03-11"));
  CHECK(next_step_date_at_send(policy, suspend, d("2026-03-09"), d("2026-03-11")) == d("2026-03-12"));
  CHECK(next_step_date_at_send(policy, suspend, d("2026-03-09"), d("2026-03-12")) == d("2026-03-16"));
  const auto three = shipped_like(3);
  CHECK(next_step_date_at_send(three, three.find_stage("suspend"), d("2026-03-09"), d("2026-03-16")) ==
        d("2026-03-19"));
}

// A reminder whose next step is the warning (a notice) names at least the day after it went out.
TEST_CASE("a late reminder names at least the next day for a notice-only step", "[notice_dates]") {
  const auto policy = shipped_like();
  const auto* warning = policy.find_stage("warning");
  CHECK(next_step_date_at_send(policy, warning, d("2026-03-06"), d("2026-03-08")) == d("2026-03-09"));
  CHECK(next_step_date_at_send(policy, warning, d("2026-03-06"), d("2026-03-06")) == d("2026-03-07"));
  // A stage the policy no longer has is taken as a suspension: the later promise.
  CHECK(next_step_date_at_send(policy, nullptr, d("2026-03-06"), d("2026-03-08")) == d("2026-03-09"));
  CHECK(next_step_date_at_send(policy, nullptr, d("2026-03-06"), d("2026-03-09")) == d("2026-03-11"));
}

// The variables of a payload: next_step_date rewritten from the send moment, nothing else.
TEST_CASE("refresh_next_step_date rewrites only a date that is too early", "[notice_dates]") {
  const auto policy = shipped_like();
  NoticeVariables late{
      {"next_step", "suspend"}, {"next_step_date", "2026-03-09"}, {"due_date", "2026-03-02"}};
  // Thursday 12 March, 23:30 in São Paulo is already Friday in UTC: the local day counts.
  CHECK(refresh_next_step_date(policy, late, *parse_instant("2026-03-13T02:30:00Z")));
  CHECK(late.at("next_step_date") == "2026-03-16");
  CHECK(late.at("due_date") == "2026-03-02");
  NoticeVariables on_time{{"next_step", "suspend"}, {"next_step_date", "2026-03-09"}};
  CHECK_FALSE(refresh_next_step_date(policy, on_time, *parse_instant("2026-03-06T09:05:00Z")));
  CHECK(on_time.at("next_step_date") == "2026-03-09");
  NoticeVariables last{{"next_step", ""}, {"next_step_date", ""}};
  CHECK_FALSE(refresh_next_step_date(policy, last, *parse_instant("2026-03-20T09:05:00Z")));
  CHECK(last.at("next_step_date").empty());
}

}  // namespace notice_dates_cases
