// Implements the trust-release rules of SPEC §5 in the order an operator would explain them:
// switched off, a promise already open, a recent broken promise, too many this year, too new.
#include "policy/trust_release.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace cobrador::policy {

namespace {

// Whole months from `since` to `today` (a customer since 31 January is one month old on
// 28 February).
int months_between(Date since, Date today) {
  int months = 0;
  while (add_months(since, months + 1) <= today) ++months;
  return months;
}

TrustRefusal refuse(std::string rule, std::string message) { return {std::move(rule), std::move(message)}; }

}  // namespace

TrustDecision trust_release_eligibility(const TrustHistory& history, const Policy& policy, Date today,
                                        std::optional<int> days) {
  const auto& rules = policy.trust_release;
  if (!rules.enabled) return refuse("trust_release.enabled", "trust releases are switched off in the policy");
  using Outcome = PromiseRecord::Outcome;
  for (const auto& promise : history.promises) {
    if (promise.outcome == Outcome::open) {
      return refuse("open_promise",
                    fmt::format("a trust release granted on {} is still open until {}",
                                format_date(promise.granted_on), format_date(promise.deadline)));
    }
  }
  for (const auto& promise : history.promises) {
    const Date blocked_until = promise.deadline + date::days{rules.blocked_after_broken_promise_days};
    if (promise.outcome == Outcome::broken && today <= blocked_until) {
      return refuse("blocked_after_broken_promise_days",
                    fmt::format("a promise due {} was broken; no trust release before {}",
                                format_date(promise.deadline), format_date(blocked_until + date::days{1})));
    }
  }
  const Date year_ago = add_months(today, -12);
  const auto recent = std::count_if(history.promises.begin(), history.promises.end(),
                                    [&](const PromiseRecord& p) { return p.granted_on > year_ago; });
  if (recent >= rules.max_per_12_months) {
    return refuse("max_per_12_months",
                  fmt::format("{} trust releases in the last 12 months; the policy allows {}", recent,
                              rules.max_per_12_months));
  }
  int length = rules.days;
  const int age = history.customer_since ? months_between(*history.customer_since, today) : 0;
  if (age < rules.min_customer_months) {
    length = rules.new_customer_days;
    if (length == 0) {
      return refuse("min_customer_months",
                    fmt::format("customer for {} months; trust releases start at {} months", age,
                                rules.min_customer_months));
    }
  }
  if (days) length = *days;
  return TrustGrant{length, today + date::days{length}};
}

}  // namespace cobrador::policy
