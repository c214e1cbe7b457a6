// The customer's link (docs/customer-page.md): a token that names a customer and the notice
// that carried it, with the instant it stops working, signed with HMAC-SHA256 under the key of
// `links.key_file`. No account and no password: whoever holds the link may see that customer's
// page until it expires, and replacing the key ends every link at once. Pure: the key and the
// clock are parameters.
//
// The token is `C.N.E.S`: the customer's and the notice's ids (decimal), the expiry (Unix
// seconds) and the signature of "C.N.E" in base64url without padding. It holds only [0-9A-Za-z._-],
// so that it is one path segment as it is.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "domain/date.hpp"

namespace cobrador::policy {

struct LinkClaims {
  std::int64_t customer_id = 0;
  std::int64_t notice_id = 0;  // the notice action (outbox row) the link went out in
  Instant expires_at;

  bool operator==(const LinkClaims&) const = default;
};

// Why a token opens nothing. `malformed` and `bad_signature` are one page for the customer
// (the link is wrong, or its key was replaced); `expired` says to use a newer notice.
enum class LinkRefusal { malformed, bad_signature, expired };

using LinkCheck = std::variant<LinkClaims, LinkRefusal>;

// The token for `claims` under `key` (a non-empty secret).
std::string sign_link(const LinkClaims& claims, std::string_view key);

// What `token` names, when it was signed under `key` and `now` is before its expiry (a link
// works until expires_at, exclusive). Any other text, of any length, is refused: never throws.
LinkCheck check_link(std::string_view token, std::string_view key, Instant now);

// When a link signed at `sent_at` stops working: `link_days` days later.
Instant link_expiry(Instant sent_at, int link_days);

// The CSRF token of the page's forms: an HMAC of the link token under the same key, with a
// purpose of its own so that it can never be mistaken for a link (docs/customer-page.md).
std::string form_token(std::string_view link_token, std::string_view key);

std::string_view to_string(LinkRefusal refusal);

}  // namespace cobrador::policy
