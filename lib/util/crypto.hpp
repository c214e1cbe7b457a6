// Small wrappers over OpenSSL 3 for what cobrador signs and checks: HMAC-SHA256 (Standard
// Webhooks, API signatures), SHA-256 digests, base64, constant-time comparison and random
// bytes. Everything works on byte strings held in std::string.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "util/result.hpp"

struct evp_mac_ctx_st;  // OpenSSL's EVP_MAC_CTX

namespace cobrador::crypto {

// The raw 32-byte HMAC-SHA256 of `data` under `key`.
std::string hmac_sha256(std::string_view key, std::string_view data);

// HMAC-SHA256 under one key, set up once: a signer that uses the same key for every message
// (the webhook adapter) keeps the keyed state and copies it per message, instead of setting
// the key up again for each, as the one-shot hmac_sha256 does.
class HmacSha256 {
 public:
  explicit HmacSha256(std::string_view key);            // throws std::runtime_error if OpenSSL refuses
  std::string operator()(std::string_view data) const;  // the raw 32 bytes

 private:
  std::shared_ptr<evp_mac_ctx_st> keyed_;  // never used but to be copied
};

// The SHA-256 digest of `data` as 64 lower-case hex digits.
std::string sha256_hex(std::string_view data);

// Lower-case hex of any bytes.
std::string to_hex(std::string_view bytes);

// Standard base64 (RFC 4648 §4) with padding, no line breaks.
std::string base64_encode(std::string_view bytes);

// Decodes standard padded base64. Refuses characters outside the alphabet, bad padding and
// lengths that are not a multiple of 4. The error never repeats the input, which may be a secret.
Result<std::string> base64_decode(std::string_view text);

// Equality whose running time does not depend on where the first difference is, so that a
// signature check does not tell an attacker how many leading bytes were right. Strings of
// different lengths are unequal (the length of a signature is no secret).
bool equal_constant_time(std::string_view a, std::string_view b);

// `count` bytes from OpenSSL's CSPRNG. Throws std::runtime_error if it cannot deliver, which
// only happens when the system has no entropy source at all.
std::string random_bytes(std::size_t count);

}  // namespace cobrador::crypto
