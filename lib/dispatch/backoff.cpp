// Implements the retry schedule of dispatch/backoff.hpp.
#include "dispatch/backoff.hpp"

#include <algorithm>
#include <cmath>

namespace cobrador::dispatch {

std::chrono::seconds nominal_delay(int failed_attempts, const Backoff& backoff) {
  const int doublings = std::clamp(failed_attempts - 1, 0, 40);  // 2^40 s is past any max
  const auto initial = std::max(backoff.initial, std::chrono::seconds{1});
  const auto cap = std::max(backoff.max, initial);
  // Doubling in floating point cannot overflow; the cap brings it back into range.
  const double seconds = static_cast<double>(initial.count()) * std::ldexp(1.0, doublings);
  return std::chrono::seconds{static_cast<std::int64_t>(std::min(seconds, static_cast<double>(cap.count())))};
}

std::chrono::seconds jittered_delay(int failed_attempts, const Backoff& backoff, double random01) {
  const auto nominal = nominal_delay(failed_attempts, backoff);
  const double share = std::clamp(random01, 0.0, 1.0);
  const double half = static_cast<double>(nominal.count()) / 2.0;
  const auto delay = static_cast<std::int64_t>(std::floor(half + half * share));
  return std::chrono::seconds{std::max<std::int64_t>(delay, 1)};
}

Instant next_attempt_at(Instant now, int failed_attempts, std::optional<std::chrono::seconds> retry_after,
                        const Backoff& backoff, double random01) {
  auto delay = jittered_delay(failed_attempts, backoff, random01);
  if (retry_after) delay = std::max(delay, std::min(*retry_after, kMaxRetryAfter));
  return now + delay;
}

}  // namespace cobrador::dispatch
