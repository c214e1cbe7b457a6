// Implements the clock. COBRADOR_NOW (an ISO 8601 UTC time) pins it, so that integration
// tests and demos can run real processes on chosen dates; nothing else can move it.
#include "util/clock.hpp"

#include <cstdlib>
#include <stdexcept>

namespace cobrador::clock {

Instant now() {
  if (const char* pinned = std::getenv("COBRADOR_NOW"); pinned && *pinned) {
    const auto at = parse_instant(pinned);
    if (!at) throw std::invalid_argument("COBRADOR_NOW: " + at.error().message);
    return *at;
  }
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

}  // namespace cobrador::clock
