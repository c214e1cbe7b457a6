// When the daily walk runs: at the policy's run_at, in its time zone, once per day; after a
// stop, only the latest missed day is walked (catch_up). Pure functions of the policy, the
// last day walked and "now", so a test can move the clock across DST changes.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "domain/date.hpp"
#include "policy/policy.hpp"

namespace cobrador::daemon {

// The days whose walk is due at `now`, oldest first: every day after `last_walked` whose
// run_at has passed. With no walk ever, only today's (once its run_at has passed): a new
// installation does not walk the past.
std::vector<Date> walks_due(const policy::Policy& policy, std::optional<Date> last_walked, Instant now);

// What a daemon walks when walks are due: the latest due day only. Walking each missed day
// in turn would queue the reminder of one day and the warning of the next together, to go
// out back to back; walked as of the latest day, decide() runs only the last notice-only
// stage due and supersedes the earlier ones, and the lifecycle catches up on missed dates.
struct CatchUp {
  std::optional<Date> day;    // the day to walk; empty: none is due
  std::vector<Date> skipped;  // the earlier due days, not walked (oldest first)
};
CatchUp catch_up(const policy::Policy& policy, std::optional<Date> last_walked, Instant now);

// How the log says which days a catch-up skipped: "2026-03-05" or "2026-03-05 to 2026-03-07
// (3 days)"; empty when none.
std::string describe_skipped(const std::vector<Date>& skipped);

// How long a daemon waits before walking again after the walk failed `failures` times in a
// row (a locked or unreachable database, a full disk): 10 s, doubling to at most 15 minutes,
// so that a passing fault costs seconds and a lasting one does not fill the log.
std::chrono::seconds walk_retry_delay(int failures);

// The moment the next walk falls due: run_at of the first day not walked yet.
Instant next_walk_at(const policy::Policy& policy, std::optional<Date> last_walked, Instant now);

}  // namespace cobrador::daemon
