// When the daily walk runs: at the policy's run_at, in its time zone, once per day; after a
// stop, the missed days are walked in order. Pure functions of the policy, the last day
// walked and "now", so a test can move the clock across DST changes.
#pragma once

#include <optional>
#include <vector>

#include "domain/date.hpp"
#include "policy/policy.hpp"

namespace cobrador::daemon {

// The days whose walk is due at `now`, oldest first: every day after `last_walked` whose
// run_at has passed. With no walk ever, only today's (once its run_at has passed): a new
// installation does not walk the past.
std::vector<Date> walks_due(const policy::Policy& policy, std::optional<Date> last_walked, Instant now);

// The moment the next walk falls due: run_at of the first day not walked yet.
Instant next_walk_at(const policy::Policy& policy, std::optional<Date> last_walked, Instant now);

}  // namespace cobrador::daemon
