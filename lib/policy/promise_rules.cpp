// Implements promise_step(): the deadline day itself is the first day the promise is broken,
// so a 1-day release granted on day 5 is looked at again, and ended, by the walk of day 6.
#include "policy/promise_rules.hpp"

namespace cobrador::policy {

PromiseStep promise_step(const std::optional<Promise>& promise, Date today) {
  if (!promise || promise->outcome != PromiseOutcome::open) return {};
  if (today < promise->deadline) return {PromiseStep::Kind::paused, promise->deadline};
  return {PromiseStep::Kind::due, promise->deadline};
}

PromiseStep on_calendar(PromiseStep step, const Policy& policy, Date today) {
  if (step.kind != PromiseStep::Kind::due || policy.suspension_allowed_on(today)) return step;
  return {PromiseStep::Kind::held, policy.next_suspension_day(today)};
}

}  // namespace cobrador::policy
