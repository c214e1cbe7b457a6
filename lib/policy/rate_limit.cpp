// Implements policy/rate_limit.hpp.
#include "policy/rate_limit.hpp"

namespace cobrador::policy {

RateDecision count_request(RateWindow window, const RateLimit& limit, Instant now) {
  // A clock that went back starts a new window too, rather than locking the customer out.
  if (now >= window.started + limit.window || now < window.started) window = RateWindow{now, 0};
  if (window.count >= limit.max_requests) {
    const auto left = window.started + limit.window - now;
    return RateDecision{false, window, std::chrono::duration_cast<std::chrono::seconds>(left)};
  }
  ++window.count;
  return RateDecision{true, window, std::chrono::seconds{0}};
}

}  // namespace cobrador::policy
