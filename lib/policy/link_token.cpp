// Implements policy/link_token.hpp.
#include "policy/link_token.hpp"

#include <array>
#include <charconv>
#include <limits>
#include <optional>

#include <fmt/format.h>

#include "util/crypto.hpp"

namespace cobrador::policy {

namespace {

// Keeps a link's signature apart from any other MAC made under the same key.
constexpr std::string_view kLinkPurpose = "cobrador-link-v1\n";
constexpr std::string_view kFormPurpose = "cobrador-link-form-v1\n";

// base64url (RFC 4648 §5) without padding, from standard base64.
std::string base64url(std::string_view bytes) {
  auto text = crypto::base64_encode(bytes);
  while (!text.empty() && text.back() == '=') text.pop_back();
  for (auto& c : text) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return text;
}

std::string signature(std::string_view signed_part, std::string_view key) {
  std::string data(kLinkPurpose);
  data += signed_part;
  return base64url(crypto::hmac_sha256(key, data));
}

// A decimal number of digits only (no sign, no leading zero but "0"), within int64.
std::optional<std::int64_t> whole_number(std::string_view text) {
  if (text.empty() || text.size() > 19 || (text.size() > 1 && text.front() == '0')) return std::nullopt;
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < 0) return std::nullopt;
  return value;
}

}  // namespace

std::string sign_link(const LinkClaims& claims, std::string_view key) {
  const auto signed_part =
      fmt::format("{}.{}.{}", claims.customer_id, claims.notice_id, to_unix(claims.expires_at));
  return signed_part + "." + signature(signed_part, key);
}

LinkCheck check_link(std::string_view token, std::string_view key, Instant now) {
  // The longest token: three 19-digit numbers, their dots and a 43-character signature.
  if (token.size() > 3 * 19 + 3 + 43) return LinkRefusal::malformed;
  std::array<std::string_view, 4> parts;
  std::size_t at = 0;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const auto dot = i + 1 < parts.size() ? token.find('.', at) : token.size();
    if (dot == std::string_view::npos) return LinkRefusal::malformed;
    parts[i] = token.substr(at, dot - at);
    at = dot + 1;
  }
  if (parts[3].find('.') != std::string_view::npos) return LinkRefusal::malformed;
  const auto customer = whole_number(parts[0]);
  const auto notice = whole_number(parts[1]);
  const auto expires = whole_number(parts[2]);
  if (!customer || !notice || !expires) return LinkRefusal::malformed;
  const auto signed_part = token.substr(0, parts[0].size() + parts[1].size() + parts[2].size() + 2);
  if (!crypto::equal_constant_time(parts[3], signature(signed_part, key))) return LinkRefusal::bad_signature;
  // Checked after the signature: an expiry nobody signed says nothing.
  if (*expires > std::numeric_limits<std::int64_t>::max() / 2 || now >= from_unix(*expires))
    return LinkRefusal::expired;
  return LinkClaims{*customer, *notice, from_unix(*expires)};
}

Instant link_expiry(Instant sent_at, int link_days) { return sent_at + std::chrono::days{link_days}; }

std::string form_token(std::string_view link_token, std::string_view key) {
  std::string data(kFormPurpose);
  data += link_token;
  return base64url(crypto::hmac_sha256(key, data));
}

std::string_view to_string(LinkRefusal refusal) {
  switch (refusal) {
    case LinkRefusal::malformed:
      return "malformed";
    case LinkRefusal::bad_signature:
      return "bad_signature";
    case LinkRefusal::expired:
      return "expired";
  }
  return "malformed";
}

}  // namespace cobrador::policy
