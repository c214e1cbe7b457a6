#include <catch2/catch.hpp>

#include <chrono>

#include "util/standard_webhooks.hpp"

using namespace cobrador;
using std::chrono::seconds;
using std::chrono::sys_seconds;

namespace {

// The Standard Webhooks specification's own known-answer vector (fixtures/README.md).
const std::string secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const std::string id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
const sys_seconds sent{seconds(1614265330)};
const std::string body = R"({"test": 2432232314})";
const std::string expected = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

webhooks::SignedHeaders vector_headers() { return {id, "1614265330", expected}; }

std::string verify_error(const webhooks::SignedHeaders& headers, const std::string& text,
                         const std::vector<std::string>& secrets, sys_seconds now) {
  const auto result = webhooks::verify(headers, text, secrets, now);
  return result ? "" : result.error().message;
}

}  // namespace

// Signing the specification's vector gives its published signature, and it verifies.
TEST_CASE("standard webhooks known-answer vector signs and verifies", "[webhooks]") {
  const auto signature = webhooks::sign(secret, id, sent, body);
  REQUIRE(signature);
  CHECK(*signature == expected);
  CHECK(webhooks::verify(vector_headers(), body, {secret}, sent));
  const auto headers = webhooks::make_headers(secret, id, sent, body);
  REQUIRE(headers);
  CHECK(headers->id == id);
  CHECK(headers->timestamp == "1614265330");
  CHECK(headers->signature == expected);
}

// A signer keyed once signs message after message as the one-shot sign() does: nothing of one
// message stays in its keyed state for the next.
TEST_CASE("standard webhooks signer keyed once signs each message alone", "[webhooks]") {
  const auto signer = webhooks::Signer::make(secret);
  REQUIRE(signer);
  for (const std::string& text : {body, std::string("{}"), body}) {
    CHECK(signer->headers(id, sent, text).signature == *webhooks::sign(secret, id, sent, text));
  }
  CHECK(signer->headers(id, sent, body).signature == expected);
  CHECK(webhooks::Signer::make("whsec_").error().message == "webhook secret is empty");
}

// One changed byte in the body, the id or the timestamp breaks the signature.
TEST_CASE("standard webhooks refuses a message with one byte changed", "[webhooks]") {
  auto changed_body = body;
  changed_body[10] = '5';
  CHECK(verify_error(vector_headers(), changed_body, {secret}, sent) == "no webhook-signature matches");
  auto headers = vector_headers();
  headers.id.back() = 'l';
  CHECK(verify_error(headers, body, {secret}, sent) == "no webhook-signature matches");
  headers = vector_headers();
  headers.timestamp = "1614265331";
  CHECK(verify_error(headers, body, {secret}, sent) == "no webhook-signature matches");
}

// While a secret is rotated, a message signed with either the old or the new one passes.
TEST_CASE("standard webhooks accepts any secret of a rotation list", "[webhooks]") {
  const std::string other = "whsec_" + std::string("c2Vjb25kLXNlY3JldC1mb3Itcm90YXRpb24=");
  CHECK(webhooks::verify(vector_headers(), body, {other, secret}, sent));
  CHECK(webhooks::verify(vector_headers(), body, {secret, other}, sent));
  CHECK(verify_error(vector_headers(), body, {other}, sent) == "no webhook-signature matches");
}

// The signature header may hold several entries; any v1 entry may match, other versions are ignored.
TEST_CASE("standard webhooks reads every v1 entry of the signature header", "[webhooks]") {
  auto headers = vector_headers();
  headers.signature = "v1,bm90LXRoaXMtb25l v1a,abc " + expected;
  CHECK(webhooks::verify(headers, body, {secret}, sent));
  headers.signature = "v2," + expected.substr(3);
  CHECK(verify_error(headers, body, {secret}, sent) == "webhook-signature holds no v1 signature");
}

// Five minutes either way is inside the window; one second more is not, and the error says which side.
TEST_CASE("standard webhooks replay window edges", "[webhooks]") {
  CHECK(webhooks::verify(vector_headers(), body, {secret}, sent + seconds(300)));
  CHECK(webhooks::verify(vector_headers(), body, {secret}, sent - seconds(300)));
  CHECK(verify_error(vector_headers(), body, {secret}, sent + seconds(301)) ==
        "webhook-timestamp is too old (outside the replay window)");
  CHECK(verify_error(vector_headers(), body, {secret}, sent - seconds(301)) ==
        "webhook-timestamp is too far in the future");
}

// A missing header is named; a timestamp that is not plain digits is refused.
TEST_CASE("standard webhooks names a missing header and a malformed timestamp", "[webhooks]") {
  auto headers = vector_headers();
  headers.id.clear();
  CHECK(verify_error(headers, body, {secret}, sent) == "missing webhook-id header");
  headers = vector_headers();
  headers.timestamp.clear();
  CHECK(verify_error(headers, body, {secret}, sent) == "missing webhook-timestamp header");
  headers = vector_headers();
  headers.signature.clear();
  CHECK(verify_error(headers, body, {secret}, sent) == "missing webhook-signature header");
  for (const char* bad : {"abc", "-1614265330", "1614265330x", "+1614265330", " 1614265330"}) {
    headers = vector_headers();
    headers.timestamp = bad;
    CHECK(verify_error(headers, body, {secret}, sent) == "webhook-timestamp is not a number of seconds");
  }
}

// A secret without the whsec_ prefix or with bad base64 is an error that never repeats the secret.
TEST_CASE("standard webhooks refuses malformed secrets without echoing them", "[webhooks]") {
  const std::string bare = "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  const auto unprefixed = webhooks::sign(bare, id, sent, body);
  REQUIRE_FALSE(unprefixed);
  CHECK(unprefixed.error().message == "webhook secret does not start with whsec_");
  const auto broken = webhooks::sign("whsec_not*base64", id, sent, body);
  REQUIRE_FALSE(broken);
  CHECK(broken.error().message.find("not*base64") == std::string::npos);
  CHECK(verify_error(vector_headers(), body, {secret, "whsec_%%%%"}, sent) == "");
  CHECK(verify_error(vector_headers(), body, {"whsec_%%%%", secret}, sent) ==
        "webhook secret #1: webhook secret is not whsec_ followed by base64");
}
