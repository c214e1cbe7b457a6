// How often one link, or one address, may use the customer's page (docs/customer-page.md):
// a fixed window counter. Pure: the caller keeps the windows and owns the clock.
#pragma once

#include <chrono>

#include "domain/date.hpp"

namespace cobrador::policy {

struct RateLimit {
  int max_requests = 60;  // within one window
  std::chrono::seconds window{std::chrono::minutes(10)};
};

struct RateWindow {
  Instant started{};
  int count = 0;
};

struct RateDecision {
  bool allowed = true;
  RateWindow window;                    // what the caller keeps for the next request
  std::chrono::seconds retry_after{0};  // when refused: until the window ends
};

// Counts one more request at `now` in `window`: a window that ended starts again at `now`.
RateDecision count_request(RateWindow window, const RateLimit& limit, Instant now);

}  // namespace cobrador::policy
