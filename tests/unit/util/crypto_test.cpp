#include <catch2/catch.hpp>

#include "util/crypto.hpp"

using namespace cobrador;

// RFC 4231 test case 2 ("Jefe") gives the published HMAC-SHA256.
TEST_CASE("hmac_sha256 matches RFC 4231 test case 2", "[webhooks][crypto]") {
  const auto mac = crypto::hmac_sha256("Jefe", "what do ya want for nothing?");
  CHECK(crypto::to_hex(mac) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

// FIPS 180-2's "abc" and the empty string give their published digests.
TEST_CASE("sha256_hex matches the published digests", "[webhooks][crypto]") {
  CHECK(crypto::sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(crypto::sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

// RFC 4648 §10's vectors encode and decode both ways, and binary bytes survive a round trip.
TEST_CASE("base64 follows the RFC 4648 vectors", "[webhooks][crypto]") {
  const std::pair<const char*, const char*> vectors[] = {{"", ""},
                                                         {"f", "Zg=="},
                                                         {"fo", "Zm8="},
                                                         {"foo", "Zm9v"},
                                                         {"foob", "Zm9vYg=="},
                                                         {"fooba", "Zm9vYmE="},
                                                         {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : vectors) {
    CHECK(crypto::base64_encode(plain) == encoded);
    const auto decoded = crypto::base64_decode(encoded);
    REQUIRE(decoded);
    CHECK(*decoded == plain);
  }
  const std::string binary("\x00\xff\x10\x80 \n", 6);
  CHECK(*crypto::base64_decode(crypto::base64_encode(binary)) == binary);
}

// Wrong lengths, foreign characters, whitespace and misplaced padding are refused.
TEST_CASE("base64_decode refuses malformed text", "[webhooks][crypto]") {
  CHECK_FALSE(crypto::base64_decode("Zg="));
  CHECK_FALSE(crypto::base64_decode("Zm9v!A=="));
  CHECK_FALSE(crypto::base64_decode("Zm9v\nZg=="));
  CHECK_FALSE(crypto::base64_decode("Z=g="));
  CHECK_FALSE(crypto::base64_decode("===="));
  CHECK(crypto::base64_decode("Zm9v!A==").error().message ==
        "base64 text holds a character outside the base64 alphabet");
}

// Equal strings compare equal; a difference anywhere, or in length, does not.
TEST_CASE("equal_constant_time compares whole strings", "[webhooks][crypto]") {
  CHECK(crypto::equal_constant_time("signature", "signature"));
  CHECK(crypto::equal_constant_time("", ""));
  CHECK_FALSE(crypto::equal_constant_time("signature", "signaturf"));
  CHECK_FALSE(crypto::equal_constant_time("Signature", "signature"));
  CHECK_FALSE(crypto::equal_constant_time("signature", "signature2"));
}

// random_bytes gives the length asked for, and two draws differ.
TEST_CASE("random_bytes gives fresh bytes of the asked length", "[webhooks][crypto]") {
  const auto a = crypto::random_bytes(32);
  const auto b = crypto::random_bytes(32);
  CHECK(a.size() == 32);
  CHECK(a != b);
  CHECK(crypto::random_bytes(0).empty());
}
