// The customer's page (docs/customer-page.md) as markup: what a signed link shows, in the
// customer's language, and the plain pages for a link that opens nothing. Rendering only: the
// facts come from service::customer_view and service::preview_trust_release (the same code as
// the walk and the grant), gathered by web/self_service_routes.cpp.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "http/message.hpp"
#include "policy/policy.hpp"
#include "service/customer_view.hpp"
#include "service/trust_release.hpp"
#include "store/desk_store.hpp"
#include "web/html.hpp"
#include "web/self_service_text.hpp"

namespace cobrador::web {

// Everything one page shows, read on the store thread.
struct SelfServiceView {
  service::CustomerView view;
  std::optional<service::TrustReleaseOutcome> release;  // none while nothing is owed
  std::optional<store::NoticeAcknowledgement> acknowledged;
  Date today;
  Instant link_expires_at;
  std::string path;        // the page's own path (/c/<token>), for the forms' actions
  std::string form_token;  // the forms' CSRF token
  std::size_t max_upload_kb = 768;
};

// What an action on the page said, shown above the page.
struct PageMessage {
  std::string text;
  bool refused = false;
};

// The whole page (200, or `status` after a refused form).
http::Response self_service_page(const SelfServiceView& page, const policy::Policy& policy,
                                 const config::Support& support, const std::optional<PageMessage>& message,
                                 int status = 200);

// The plain page for a link that opens nothing: no data, what to do, whom to call.
http::Response plain_page(Lang lang, Say title, Html body, const config::Support& support, int status);

// The words of `what` with `args` (escaped) in their {} places.
template <class... Args>
std::string sentence(Lang lang, Say what, const Args&... args) {
  return fmt::format(fmt::runtime(say(lang, what)), args...);
}

// The headers every customer page carries: no script, no framing, no referrer (the link's
// token must not leak to another site), no caching, no indexing.
void add_self_service_headers(http::Response& response);

// The page's stylesheet: the console's, shipped in the binary, plus a few rules of its own.
std::string self_service_css();

}  // namespace cobrador::web
