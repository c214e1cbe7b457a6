// When a failed action is tried again: exponential backoff with jitter, the server's
// Retry-After honoured, and quiet hours for SMS. Pure: "now" and the random draw are
// parameters, so that a table of calls in a test reads like the documentation.
#pragma once

#include <chrono>
#include <optional>

#include "domain/date.hpp"

namespace cobrador::dispatch {

struct Backoff {
  std::chrono::seconds initial{60};                 // the delay after the first failed attempt
  std::chrono::seconds max{std::chrono::hours(1)};  // no delay grows past this
};

// The nominal delay after `failed_attempts` failures (1 or more): initial · 2^(n−1), at
// most `max`.
std::chrono::seconds nominal_delay(int failed_attempts, const Backoff& backoff);

// The nominal delay with "equal jitter": half of it fixed, the other half scaled by
// `random01` in [0, 1). Retries of many actions that failed together (a panel restarting)
// spread out instead of returning as one burst, and none comes sooner than half the nominal
// delay. Never less than one second.
std::chrono::seconds jittered_delay(int failed_attempts, const Backoff& backoff, double random01);

// The moment of the next attempt. A Retry-After from the server is a floor: never sooner
// than it asked, nor sooner than our own backoff (a "Retry-After: 1" from a struggling
// panel must not burn every attempt in seconds). It is capped at a day, so that a silly
// value cannot park an action for a year.
Instant next_attempt_at(Instant now, int failed_attempts, std::optional<std::chrono::seconds> retry_after,
                        const Backoff& backoff, double random01);

inline constexpr std::chrono::seconds kMaxRetryAfter = std::chrono::hours(24);

}  // namespace cobrador::dispatch
