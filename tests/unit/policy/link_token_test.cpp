// The customer's link (docs/customer-page.md): what it names, its signature and its expiry.
#include <catch2/catch.hpp>

#include <vector>

#include "policy/link_token.hpp"
#include "policy/rate_limit.hpp"

namespace link_token_test {

using namespace cobrador;
using namespace cobrador::policy;

const std::string kKey = "a key of the secrets folder, 32 bytes or more of it";
const Instant kSent = from_unix(1'772'668'800);  // 2026-03-05 00:00 UTC
const LinkClaims kClaims{42, 7, link_expiry(kSent, 30)};

// A signed link opens, naming the customer and the notice it was sent in.
TEST_CASE("a signed link names its customer and notice until it expires", "[policy][links]") {
  const auto token = sign_link(kClaims, kKey);
  CHECK(token.starts_with("42.7.1775260800."));
  const auto checked = check_link(token, kKey, kSent);
  REQUIRE(std::holds_alternative<LinkClaims>(checked));
  CHECK(std::get<LinkClaims>(checked) == kClaims);
  CHECK(token.find_first_not_of("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ._-") ==
        std::string::npos);
}

// One second before the expiry it works; at the expiry and one second past it, it does not.
TEST_CASE("a link stops at its expiry, to the second", "[policy][links]") {
  const auto token = sign_link(kClaims, kKey);
  CHECK(std::holds_alternative<LinkClaims>(
      check_link(token, kKey, kClaims.expires_at - std::chrono::seconds{1})));
  CHECK(std::get<LinkRefusal>(check_link(token, kKey, kClaims.expires_at)) == LinkRefusal::expired);
  CHECK(std::get<LinkRefusal>(check_link(token, kKey, kClaims.expires_at + std::chrono::seconds{1})) ==
        LinkRefusal::expired);
}

// Changing any one byte of the token (its ids, its expiry or its signature) opens nothing.
TEST_CASE("a link with any byte changed is refused", "[policy][links]") {
  const auto token = sign_link(kClaims, kKey);
  for (std::size_t i = 0; i < token.size(); ++i) {
    for (const char replacement : {'0', '9', 'A', '_', '.', 'x'}) {
      if (token[i] == replacement) continue;
      auto tampered = token;
      tampered[i] = replacement;
      INFO(tampered);
      CHECK(std::holds_alternative<LinkRefusal>(check_link(tampered, kKey, kSent)));
    }
  }
}

// A later expiry written into the link by hand breaks its signature; it does not extend it.
TEST_CASE("a link whose expiry was moved by hand is refused as unsigned", "[policy][links]") {
  auto token = sign_link(kClaims, kKey);
  token.replace(5, 10, "1999999999");
  CHECK(std::get<LinkRefusal>(check_link(token, kKey, kSent)) == LinkRefusal::bad_signature);
}

// A new key (the operator rotated links.key_file) ends every link signed under the old one.
TEST_CASE("a link signed under a replaced key is refused", "[policy][links]") {
  const auto token = sign_link(kClaims, kKey);
  CHECK(std::get<LinkRefusal>(check_link(token, kKey + "!", kSent)) == LinkRefusal::bad_signature);
}

// Text that is no token at all is refused without throwing, whatever its shape.
TEST_CASE("text that is not a link is refused as malformed", "[policy][links]") {
  for (const std::string& text : std::vector<std::string>{
           "", ".", "...", "1.2.3", "1.2.3.4.5", "-1.2.3.abc", "01.2.3.abc", "1.2.99999999999999999999.abc",
           "a.b.c.d", std::string(300, '1'), std::string("1.2.3.\xff\xfe"), std::string("1\0.2.3.x", 8)}) {
    INFO(text);
    const auto checked = check_link(text, kKey, kSent);
    REQUIRE(std::holds_alternative<LinkRefusal>(checked));
    CHECK(std::get<LinkRefusal>(checked) != LinkRefusal::expired);
  }
}

// The forms' token is tied to the link and to the key, and is not the link itself.
TEST_CASE("the forms' token follows the link and the key", "[policy][links]") {
  const auto token = sign_link(kClaims, kKey);
  CHECK(form_token(token, kKey) == form_token(token, kKey));
  CHECK(form_token(token, kKey) != form_token(token + "x", kKey));
  CHECK(form_token(token, kKey) != form_token(token, kKey + "x"));
  CHECK(token.find(form_token(token, kKey)) == std::string::npos);
}

// A window allows max_requests, refuses the next with the seconds left, and starts again.
TEST_CASE("a rate window counts requests and starts again when it ends", "[policy][links]") {
  const RateLimit limit{3, std::chrono::seconds{60}};
  RateWindow window;
  for (int i = 0; i < 3; ++i) {
    const auto decision = count_request(window, limit, kSent + std::chrono::seconds{i});
    REQUIRE(decision.allowed);
    window = decision.window;
  }
  const auto refused = count_request(window, limit, kSent + std::chrono::seconds{10});
  CHECK_FALSE(refused.allowed);
  CHECK(refused.retry_after == std::chrono::seconds{50});
  const auto later = count_request(refused.window, limit, kSent + std::chrono::seconds{60});
  CHECK(later.allowed);
  CHECK(later.window.count == 1);
}

}  // namespace link_token_test
