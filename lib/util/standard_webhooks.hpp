// Standard Webhooks (standardwebhooks.com) signatures: HMAC-SHA256 over "id.timestamp.body"
// with a secret written `whsec_<base64>`, sent as `webhook-signature: v1,<base64>`.
// cobrador signs what it sends to `webhook` panels and verifies what panels and banks send
// to it. Time is a parameter: nothing here reads the clock.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "util/crypto.hpp"
#include "util/result.hpp"

namespace cobrador::webhooks {

// The three request headers, as received or as to be sent. An empty field means the header
// was missing.
struct SignedHeaders {
  std::string id;         // webhook-id
  std::string timestamp;  // webhook-timestamp, seconds since the Unix epoch
  std::string signature;  // webhook-signature, one or more space-separated "v1,<base64>"
};

inline constexpr std::chrono::seconds default_tolerance{5 * 60};

// The key bytes of a `whsec_<base64>` secret. The error never contains the secret.
Result<std::string> decode_secret(std::string_view secret);

// "v1,<base64 HMAC>" for one message.
Result<std::string> sign(std::string_view secret, std::string_view id, std::chrono::sys_seconds timestamp,
                         std::string_view body);

// The full header set for one message, ready to send.
Result<SignedHeaders> make_headers(std::string_view secret, std::string_view id,
                                   std::chrono::sys_seconds timestamp, std::string_view body);

// Signs with one secret, decoded and keyed once: the webhook adapter signs every call it makes
// with the same secret.
class Signer {
 public:
  // The error is decode_secret's.
  static Result<Signer> make(std::string_view secret);
  // What make_headers returns for the same secret.
  SignedHeaders headers(std::string_view id, std::chrono::sys_seconds timestamp, std::string_view body) const;

 private:
  explicit Signer(crypto::HmacSha256 hmac) : hmac_(std::move(hmac)) {}
  crypto::HmacSha256 hmac_;
};

// Accepts a message when its timestamp is within `tolerance` of `now` (either way) and one of
// the `v1` signatures matches one of `secrets` (several while a secret is being rotated).
// The error says which check failed: a missing header, a timestamp that is malformed, too old
// or in the future, a malformed secret (by position, never by value), or no matching signature.
Status verify(const SignedHeaders& headers, std::string_view body, const std::vector<std::string>& secrets,
              std::chrono::sys_seconds now, std::chrono::seconds tolerance = default_tolerance);

}  // namespace cobrador::webhooks
