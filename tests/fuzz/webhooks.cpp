// Fuzzes Standard Webhooks verification as the API runs it on a signed call (bank sources'
// PIX callbacks, panels' callbacks): http::verify_signature over the request's webhook-id,
// webhook-timestamp and webhook-signature headers, with the caller's secrets (one from the
// input, so that malformed secrets are read too). A message signed with a secret that decodes
// must verify; the fuzzer's own headers almost never do, and must be refused without harm.
#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>

#include "fuzz_support.hpp"
#include "http/auth.hpp"
#include "util/standard_webhooks.hpp"

namespace {

using namespace cobrador;

// The specification's known-answer secret (shared/fixtures/README.md).
const std::string kKnownSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const Instant kNow{std::chrono::seconds{1614265330}};

http::Request signed_request(const webhooks::SignedHeaders& headers, std::string body) {
  http::Request request;
  request.method = "POST";
  request.target = request.path = "/v1/hooks/bank/fuzz";
  request.headers = {{"webhook-id", headers.id},
                     {"webhook-timestamp", headers.timestamp},
                     {"webhook-signature", headers.signature}};
  request.body = std::move(body);
  return request;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::Input input(data, size);
  const std::string secret(input.line());
  webhooks::SignedHeaders headers;
  headers.id = input.line();
  headers.timestamp = input.line();
  headers.signature = input.line();
  const std::string body(input.rest());

  http::SigningKeys keys{{kKnownSecret, secret}, false};
  http::Caller caller;
  caller.kind = http::Caller::Kind::bank_source;
  caller.name = "fuzz";
  (void)http::verify_signature(keys, caller, signed_request(headers, body), kNow);

  if (!webhooks::decode_secret(secret)) return 0;
  auto made = webhooks::make_headers(secret, headers.id, kNow, body);
  fuzz::require(made.ok(), "a secret that decodes but cannot sign");
  const auto verified = http::verify_signature(keys, caller, signed_request(*made, body), kNow);
  // An empty webhook-id is a missing header, refused whatever the signature.
  fuzz::require(headers.id.empty() || std::holds_alternative<http::Caller>(verified),
                "a message signed with the caller's secret is refused");
  return 0;
}
