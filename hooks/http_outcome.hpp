// What an HTTP exchange with a panel means before any vendor reads the body: transport
// errors and status codes mapped onto Outcome kinds, shared by every HTTP adapter.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "net/http_client.hpp"
#include "hooks/panel.hpp"

namespace cobrador::hooks {

// Retry-After as RFC 9110 §10.2.3 has it: delay-seconds, or an HTTP-date (IMF-fixdate, and
// the obsolete RFC 850 and asctime forms) turned into a delay from `now`. A date in the past
// is a delay of zero. Anything else is nullopt.
std::optional<std::chrono::seconds> parse_retry_after(std::string_view value,
                                                      std::chrono::system_clock::time_point now);

// The outcome of an exchange that did not end in a 2xx, or nullopt for a 2xx (the vendor's
// parser decides then). Transport errors, timeouts, 408, 429 and 5xx are `retry` (with the
// panel's Retry-After when it sent one), 410 is `disable_panel`, redirects and other 4xx
// are `failed`.
std::optional<Outcome> classify_http(const net::HttpResponse& response,
                                     std::chrono::system_clock::time_point now);

// The start of a response body, on one line, for an Outcome's detail.
std::string body_excerpt(std::string_view body, std::size_t max_length = 200);

}  // namespace cobrador::hooks
