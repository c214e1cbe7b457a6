// The frame every console page shares: the head, the navigation, who is signed in with the
// sign-out form, and the security headers (no caching, no framing, nothing from elsewhere).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "http/message.hpp"
#include "web/console_sessions.hpp"
#include "web/html.hpp"

namespace cobrador::web {

// The navigation's entries: the page a response is for is marked current.
enum class ConsolePlace { sign_in, today, dunning, customers, work, refused };

// A whole page: `body` inside the frame. `session` is null on the sign-in page.
http::Response console_page(const ConsoleSession* session, ConsolePlace place, std::string_view title,
                            const Html& body, int status = 200);

// 303 See Other to `location` (after a form, or to the sign-in page).
http::Response see_other(std::string location);

// The hidden field that carries the session's CSRF token in each form.
Html csrf_field(const ConsoleSession& session);

}  // namespace cobrador::web
