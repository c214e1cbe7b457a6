// What an open trust release means for the walk, as a pure rule: before its deadline the
// episode's stages wait; on the deadline day (the walk of that day, in the policy's zone) a
// debt still unpaid breaks the promise and the customer is suspended again at once.
#pragma once

#include <optional>

#include "domain/date.hpp"
#include "domain/promise.hpp"

namespace cobrador::policy {

struct PromiseStep {
  enum class Kind {
    none,    // no open promise: the stages run as the policy says
    paused,  // an open promise before its deadline: no stage runs until `until`
    due,     // the deadline has come and the debt is unpaid: break it, suspend again, no notices
  };
  Kind kind = Kind::none;
  Date until;  // paused: the deadline, when the customer must be looked at again
};

// `promise` is the customer's open promise, if any; the caller has already seen that something
// is still overdue (a paid debt ends the episode and keeps the promise before this is asked).
PromiseStep promise_step(const std::optional<Promise>& promise, Date today);

}  // namespace cobrador::policy
