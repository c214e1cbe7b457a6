// What an open trust release means for the walk, as a pure rule: before its deadline the
// episode's stages wait; on the deadline day (the walk of that day, in the policy's zone) a
// debt still unpaid breaks the promise and the customer is suspended again at once, on a day
// the policy's calendar allows suspensions.
#pragma once

#include <optional>

#include "domain/date.hpp"
#include "domain/promise.hpp"
#include "policy/policy.hpp"

namespace cobrador::policy {

struct PromiseStep {
  enum class Kind {
    none,    // no open promise: the stages run as the policy says
    paused,  // an open promise before its deadline: no stage runs until `until`
    due,     // the deadline has come and the debt is unpaid: break it, suspend again, no notices
    held,    // due, but today no suspension may happen (no_suspend_on, holidays): wait
  };
  Kind kind = Kind::none;
  Date until;  // paused: the deadline; held: the next day a suspension may happen
};

// `promise` is the customer's open promise, if any; the caller has already seen that something
// is still overdue (a paid debt ends the episode and keeps the promise before this is asked).
PromiseStep promise_step(const std::optional<Promise>& promise, Date today);

// A broken promise suspends again like any suspension: on a day the policy's calendar forbids
// suspensions, a due step is held until the next day it allows (the promise stays open until
// then, so money that arrives meanwhile still ends the episode).
PromiseStep on_calendar(PromiseStep step, const Policy& policy, Date today);

}  // namespace cobrador::policy
