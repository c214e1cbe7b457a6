// Implements util/standard_webhooks.hpp.
#include "util/standard_webhooks.hpp"

#include <charconv>
#include <cstdint>

#include "util/crypto.hpp"

namespace cobrador::webhooks {

namespace {

constexpr std::string_view secret_prefix = "whsec_";
constexpr std::string_view version_prefix = "v1,";

std::string signed_content(std::string_view id, std::string_view timestamp, std::string_view body) {
  std::string content;
  content.reserve(id.size() + timestamp.size() + body.size() + 2);
  content.append(id).append(".").append(timestamp).append(".").append(body);
  return content;
}

std::string signature_for(std::string_view key, std::string_view id, std::string_view timestamp,
                          std::string_view body) {
  return crypto::base64_encode(crypto::hmac_sha256(key, signed_content(id, timestamp, body)));
}

// Digits only, so that "+12", " 12" or "12abc" are refused rather than read leniently.
Result<std::int64_t> parse_timestamp(std::string_view text) {
  std::int64_t value = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || text.front() == '-' || ec != std::errc() || ptr != end) {
    return make_error("webhook-timestamp is not a number of seconds");
  }
  return value;
}

Status check_window(std::string_view timestamp, std::chrono::sys_seconds now,
                    std::chrono::seconds tolerance) {
  const auto sent = parse_timestamp(timestamp);
  if (!sent) return sent.error();
  const std::int64_t age = now.time_since_epoch().count() - *sent;
  if (age > tolerance.count()) return make_error("webhook-timestamp is too old (outside the replay window)");
  if (-age > tolerance.count()) return make_error("webhook-timestamp is too far in the future");
  return Ok{};
}

// The base64 signatures of every "v1," entry; entries of other versions are skipped.
std::vector<std::string_view> v1_signatures(std::string_view header) {
  std::vector<std::string_view> out;
  while (!header.empty()) {
    const auto space = header.find(' ');
    const auto entry = header.substr(0, space);
    if (entry.substr(0, version_prefix.size()) == version_prefix)
      out.push_back(entry.substr(version_prefix.size()));
    if (space == std::string_view::npos) break;
    header.remove_prefix(space + 1);
  }
  return out;
}

Status check_present(const SignedHeaders& headers) {
  if (headers.id.empty()) return make_error("missing webhook-id header");
  if (headers.timestamp.empty()) return make_error("missing webhook-timestamp header");
  if (headers.signature.empty()) return make_error("missing webhook-signature header");
  return Ok{};
}

}  // namespace

Result<std::string> decode_secret(std::string_view secret) {
  if (secret.substr(0, secret_prefix.size()) != secret_prefix) {
    return make_error("webhook secret does not start with whsec_");
  }
  auto key = crypto::base64_decode(secret.substr(secret_prefix.size()));
  if (!key) return make_error("webhook secret is not whsec_ followed by base64");
  if (key->empty()) return make_error("webhook secret is empty");
  return key;
}

Result<std::string> sign(std::string_view secret, std::string_view id, std::chrono::sys_seconds timestamp,
                         std::string_view body) {
  const auto key = decode_secret(secret);
  if (!key) return key.error();
  const auto seconds = std::to_string(timestamp.time_since_epoch().count());
  return std::string(version_prefix) + signature_for(*key, id, seconds, body);
}

Result<SignedHeaders> make_headers(std::string_view secret, std::string_view id,
                                   std::chrono::sys_seconds timestamp, std::string_view body) {
  const auto signer = Signer::make(secret);
  if (!signer) return signer.error();
  return signer->headers(id, timestamp, body);
}

Result<Signer> Signer::make(std::string_view secret) {
  const auto key = decode_secret(secret);
  if (!key) return key.error();
  return Signer(crypto::HmacSha256(*key));
}

SignedHeaders Signer::headers(std::string_view id, std::chrono::sys_seconds timestamp,
                              std::string_view body) const {
  auto seconds = std::to_string(timestamp.time_since_epoch().count());
  auto signature =
      std::string(version_prefix) + crypto::base64_encode(hmac_(signed_content(id, seconds, body)));
  return SignedHeaders{std::string(id), std::move(seconds), std::move(signature)};
}

Status verify(const SignedHeaders& headers, std::string_view body, const std::vector<std::string>& secrets,
              std::chrono::sys_seconds now, std::chrono::seconds tolerance) {
  if (auto present = check_present(headers); !present) return present;
  if (auto window = check_window(headers.timestamp, now, tolerance); !window) return window;
  const auto offered = v1_signatures(headers.signature);
  if (offered.empty()) return make_error("webhook-signature holds no v1 signature");
  for (std::size_t i = 0; i < secrets.size(); ++i) {
    const auto key = decode_secret(secrets[i]);
    if (!key) return make_error("webhook secret #" + std::to_string(i + 1) + ": " + key.error().message);
    const auto expected = signature_for(*key, headers.id, headers.timestamp, body);
    // Every offered signature is compared, match or not, so timing says nothing about which.
    bool matched = false;
    for (const auto candidate : offered) matched |= crypto::equal_constant_time(expected, candidate);
    if (matched) return Ok{};
  }
  return make_error("no webhook-signature matches");
}

}  // namespace cobrador::webhooks
