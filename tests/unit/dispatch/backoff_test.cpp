// The retry schedule: exponential backoff, its jitter, the Retry-After floor and the caps.
#include <catch2/catch.hpp>

#include "dispatch/backoff.hpp"

using namespace cobrador;
using namespace cobrador::dispatch;
using std::chrono::hours;
using std::chrono::seconds;

namespace {

const Backoff kDefault{seconds(60), hours(1)};
const Instant kNow = *parse_instant("2026-03-03T12:00:00Z");

}  // namespace

// The nominal delay doubles from `initial` and stops at `max`.
TEST_CASE("the nominal delay doubles after each failure up to the cap", "[dispatch]") {
  CHECK(nominal_delay(1, kDefault) == seconds(60));
  CHECK(nominal_delay(2, kDefault) == seconds(120));
  CHECK(nominal_delay(3, kDefault) == seconds(240));
  CHECK(nominal_delay(6, kDefault) == seconds(1920));
  CHECK(nominal_delay(7, kDefault) == seconds(3600));
  CHECK(nominal_delay(8, kDefault) == seconds(3600));
  CHECK(nominal_delay(1000, kDefault) == seconds(3600));  // no overflow however many
  CHECK(nominal_delay(0, kDefault) == seconds(60));
}

// Equal jitter: the delay lies in [nominal/2, nominal), set by the random draw.
TEST_CASE("jitter keeps half the delay and spreads the other half", "[dispatch]") {
  CHECK(jittered_delay(1, kDefault, 0.0) == seconds(30));
  CHECK(jittered_delay(1, kDefault, 0.5) == seconds(45));
  CHECK(jittered_delay(1, kDefault, 0.999) == seconds(59));
  CHECK(jittered_delay(3, kDefault, 0.25) == seconds(150));
  CHECK(jittered_delay(9, kDefault, 0.0) == seconds(1800));
  // Never zero, even with a one-second backoff.
  CHECK(jittered_delay(1, Backoff{seconds(1), seconds(1)}, 0.0) == seconds(1));
  // Out-of-range draws are clamped rather than trusted.
  CHECK(jittered_delay(1, kDefault, -3.0) == seconds(30));
  CHECK(jittered_delay(1, kDefault, 7.0) == seconds(60));
}

// Retry-After is a floor over our own backoff, capped at a day.
TEST_CASE("Retry-After is never undercut, and a silly one is capped", "[dispatch]") {
  CHECK(next_attempt_at(kNow, 1, std::nullopt, kDefault, 0.5) == kNow + seconds(45));
  CHECK(next_attempt_at(kNow, 1, seconds(120), kDefault, 0.5) == kNow + seconds(120));
  // A panel that asks for one second while our backoff says four minutes gets four minutes.
  CHECK(next_attempt_at(kNow, 3, seconds(1), kDefault, 0.999) == kNow + seconds(239));
  CHECK(next_attempt_at(kNow, 1, hours(24 * 365), kDefault, 0.0) == kNow + hours(24));
}
