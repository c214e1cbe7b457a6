// Implements the walk schedule on civil days: "once a day at 06:00 local" is a statement
// about local calendar days, so a 23- or 25-hour day still gets exactly one walk.
#include "daemon/scheduler.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace cobrador::daemon {

namespace {

bool run_at_passed(const policy::Policy& policy, Date day, Instant now) {
  return policy.instant_at(day, policy.run_at_minute) <= now;
}

}  // namespace

std::vector<Date> walks_due(const policy::Policy& policy, std::optional<Date> last_walked, Instant now) {
  const Date today = policy.local_date(now);
  Date first = last_walked ? *last_walked + date::days{1} : today;
  std::vector<Date> days;
  for (Date day = first; day <= today; day += date::days{1}) {
    if (run_at_passed(policy, day, now)) days.push_back(day);
  }
  return days;
}

CatchUp catch_up(const policy::Policy& policy, std::optional<Date> last_walked, Instant now) {
  CatchUp plan;
  plan.skipped = walks_due(policy, last_walked, now);
  if (plan.skipped.empty()) return plan;
  plan.day = plan.skipped.back();
  plan.skipped.pop_back();
  return plan;
}

std::string describe_skipped(const std::vector<Date>& skipped) {
  if (skipped.empty()) return "";
  if (skipped.size() == 1) return format_date(skipped.front());
  return fmt::format("{} to {} ({} days)", format_date(skipped.front()), format_date(skipped.back()),
                     skipped.size());
}

std::chrono::seconds walk_retry_delay(int failures) {
  constexpr std::chrono::seconds kFirst{10};
  constexpr std::chrono::seconds kLongest{15 * 60};
  if (failures <= 1) return kFirst;
  // Doubling stops at the cap; the exponent is bounded so the shift cannot overflow.
  const int doublings = std::min(failures - 1, 16);
  return std::min(kFirst * (1 << doublings), kLongest);
}

Instant next_walk_at(const policy::Policy& policy, std::optional<Date> last_walked, Instant now) {
  const Date today = policy.local_date(now);
  Date day = last_walked ? std::max(*last_walked + date::days{1}, today - date::days{366}) : today;
  // The first day not walked whose run_at is still ahead, or already passed (then: now).
  if (run_at_passed(policy, day, now)) return now;
  return policy.instant_at(day, policy.run_at_minute);
}

}  // namespace cobrador::daemon
