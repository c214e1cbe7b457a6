// The walk schedule under a fake clock: once a day at run_at, across DST changes, and the
// catch-up of missed days in order.
#include <catch2/catch.hpp>

#include "daemon/scheduler.hpp"

using namespace cobrador;

namespace {

policy::Policy policy_in(const std::string& zone) {
  auto policy =
      policy::parse_policy("timezone: " + zone +
                               "\nrun_at: \"06:00\"\nstages:\n  - name: r\n"
                               "    when: { days_overdue: 3 }\n    notify: [email]\n    template: t\n",
                           "policy.yaml");
  REQUIRE(policy);
  return *policy;
}

Date d(const char* text) { return *parse_date(text); }
Instant at(const char* text) { return *parse_instant(text); }

// Drives the scheduler like the daemon does: sleep until next_walk_at, walk what is due.
std::vector<std::string> run_clock(const policy::Policy& policy, Instant from, Instant until,
                                   std::optional<Date> last = std::nullopt) {
  std::vector<std::string> walks;
  Instant now = from;
  while (now < until) {
    for (const Date day : daemon::walks_due(policy, last, now)) {
      walks.push_back(format_date(day) + " at " + format_instant(now));
      last = day;
    }
    const Instant next = daemon::next_walk_at(policy, last, now);
    REQUIRE(next > now - std::chrono::seconds{1});
    now = std::max(next, now + std::chrono::seconds{1});
  }
  return walks;
}

}  // namespace

// In New York the walk fires at 06:00 local every day, also on both DST change days.
TEST_CASE("the walk fires once a day at run_at across DST changes", "[scheduler]") {
  const auto policy = policy_in("America/New_York");
  const auto spring = run_clock(policy, at("2026-03-07T08:00:00Z"), at("2026-03-10T08:00:00Z"));
  CHECK(spring == std::vector<std::string>{"2026-03-07 at 2026-03-07T11:00:00Z",
                                           "2026-03-08 at 2026-03-08T10:00:00Z",
                                           "2026-03-09 at 2026-03-09T10:00:00Z"});
  const auto autumn = run_clock(policy, at("2026-10-31T08:00:00Z"), at("2026-11-03T08:00:00Z"));
  CHECK(autumn == std::vector<std::string>{"2026-10-31 at 2026-10-31T10:00:00Z",
                                           "2026-11-01 at 2026-11-01T11:00:00Z",
                                           "2026-11-02 at 2026-11-02T11:00:00Z"});
}

// A run_at inside the spring-forward gap (02:30) still walks that day, once.
TEST_CASE("a run_at inside the DST gap walks that day once", "[scheduler]") {
  auto policy = policy_in("America/New_York");
  policy.run_at_minute = 2 * 60 + 30;
  const auto walks = run_clock(policy, at("2026-03-07T12:00:00Z"), at("2026-03-09T12:00:00Z"));
  CHECK(walks == std::vector<std::string>{"2026-03-07 at 2026-03-07T12:00:00Z",
                                          "2026-03-08 at 2026-03-08T07:00:00Z",
                                          "2026-03-09 at 2026-03-09T06:30:00Z"});
}

// Stopped for three days: the missed days are due, oldest first.
TEST_CASE("three missed days are due in order", "[scheduler]") {
  const auto policy = policy_in("America/Sao_Paulo");
  const auto due = daemon::walks_due(policy, d("2026-03-04"), at("2026-03-08T10:00:00Z"));
  CHECK(due == std::vector<Date>{d("2026-03-05"), d("2026-03-06"), d("2026-03-07"), d("2026-03-08")});
  // Before today's run_at, today is not due yet.
  CHECK(daemon::walks_due(policy, d("2026-03-04"), at("2026-03-08T08:00:00Z")).size() == 3);
  CHECK(daemon::next_walk_at(policy, d("2026-03-07"), at("2026-03-08T08:00:00Z")) ==
        at("2026-03-08T09:00:00Z"));
}

// Back after three missed days, the daemon walks only today and names the days it skips: the
// reminder and the warning due meanwhile must not go out back to back.
TEST_CASE("a catch-up walks only the latest due day and names the skipped ones", "[scheduler]") {
  const auto policy = policy_in("America/Sao_Paulo");
  const auto plan = daemon::catch_up(policy, d("2026-03-04"), at("2026-03-08T10:00:00Z"));
  CHECK(plan.day == d("2026-03-08"));
  CHECK(plan.skipped == std::vector<Date>{d("2026-03-05"), d("2026-03-06"), d("2026-03-07")});
  CHECK(daemon::describe_skipped(plan.skipped) == "2026-03-05 to 2026-03-07 (3 days)");
  // Before today's run_at, yesterday is the latest due day.
  const auto early = daemon::catch_up(policy, d("2026-03-04"), at("2026-03-08T08:00:00Z"));
  CHECK(early.day == d("2026-03-07"));
  CHECK(daemon::describe_skipped(early.skipped) == "2026-03-05 to 2026-03-06 (2 days)");
  // A day after the last walk, nothing is skipped; once walked, nothing is due.
  const auto daily = daemon::catch_up(policy, d("2026-03-07"), at("2026-03-08T10:00:00Z"));
  CHECK(daily.day == d("2026-03-08"));
  CHECK(daily.skipped.empty());
  CHECK(daemon::describe_skipped(daily.skipped).empty());
  CHECK_FALSE(daemon::catch_up(policy, d("2026-03-08"), at("2026-03-08T10:00:00Z")).day);
  CHECK(daemon::describe_skipped({d("2026-03-05")}) == "2026-03-05");
}

// A first start walks today only, never the past.
TEST_CASE("a new installation does not walk the past", "[scheduler]") {
  const auto policy = policy_in("UTC");
  CHECK(daemon::walks_due(policy, std::nullopt, at("2026-03-08T10:00:00Z")) ==
        std::vector<Date>{d("2026-03-08")});
  CHECK(daemon::walks_due(policy, std::nullopt, at("2026-03-08T05:00:00Z")).empty());
  CHECK(daemon::next_walk_at(policy, std::nullopt, at("2026-03-08T05:00:00Z")) == at("2026-03-08T06:00:00Z"));
}

TEST_CASE("a failed walk is retried after a wait that doubles to fifteen minutes", "[scheduler]") {
  using std::chrono::seconds;
  CHECK(daemon::walk_retry_delay(1) == seconds{10});
  CHECK(daemon::walk_retry_delay(2) == seconds{20});
  CHECK(daemon::walk_retry_delay(3) == seconds{40});
  CHECK(daemon::walk_retry_delay(7) == seconds{640});
  CHECK(daemon::walk_retry_delay(8) == seconds{900});
  // Failing for days never overflows the doubling.
  CHECK(daemon::walk_retry_delay(100000) == seconds{900});
  CHECK(daemon::walk_retry_delay(0) == seconds{10});
}
