// Implements util/crypto.hpp on OpenSSL 3's EVP functions (digests, MACs, base64).
#include "util/crypto.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/core_names.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include <array>
#include <new>
#include <stdexcept>

namespace cobrador::crypto {

namespace {

const unsigned char* bytes_of(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

}  // namespace

HmacSha256::HmacSha256(std::string_view key) {
  static EVP_MAC* const hmac = EVP_MAC_fetch(nullptr, OSSL_MAC_NAME_HMAC, nullptr);
  if (!hmac) throw std::runtime_error("HMAC is not available from OpenSSL");
  std::shared_ptr<EVP_MAC_CTX> keyed(EVP_MAC_CTX_new(hmac), EVP_MAC_CTX_free);
  if (!keyed) throw std::bad_alloc();
  char digest[] = "SHA256";
  const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                               OSSL_PARAM_construct_end()};
  if (!EVP_MAC_init(keyed.get(), bytes_of(key), key.size(), params))
    throw std::runtime_error("HMAC-SHA256 key setup failed");
  keyed_ = std::move(keyed);
}

std::string HmacSha256::operator()(std::string_view data) const {
  const std::unique_ptr<EVP_MAC_CTX, decltype(&EVP_MAC_CTX_free)> ctx(EVP_MAC_CTX_dup(keyed_.get()),
                                                                      EVP_MAC_CTX_free);
  std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
  std::size_t length = 0;
  if (!ctx || !EVP_MAC_update(ctx.get(), bytes_of(data), data.size()) ||
      !EVP_MAC_final(ctx.get(), out.data(), &length, out.size())) {
    throw std::runtime_error("HMAC-SHA256 failed");
  }
  return std::string(reinterpret_cast<const char*>(out.data()), length);
}

std::string hmac_sha256(std::string_view key, std::string_view data) { return HmacSha256(key)(data); }

std::string sha256_hex(std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
  unsigned int length = 0;
  if (!EVP_Digest(data.data(), data.size(), out.data(), &length, EVP_sha256(), nullptr)) {
    throw std::runtime_error("SHA-256 failed");
  }
  return to_hex(std::string_view(reinterpret_cast<const char*>(out.data()), length));
}

std::string to_hex(std::string_view bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const unsigned char c : bytes) {
    out.push_back(digits[c >> 4]);
    out.push_back(digits[c & 0x0f]);
  }
  return out;
}

std::string base64_encode(std::string_view bytes) {
  // EVP_EncodeBlock writes 4 characters per 3 input bytes plus a terminating NUL.
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes_of(bytes),
                                      static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(written));
  return out;
}

Result<std::string> base64_decode(std::string_view text) {
  // EVP_DecodeBlock skips surrounding whitespace, accepts any length and does not account for
  // padding in its result, so the shape is checked here before it decodes.
  for (const char c : text) {
    const bool in_alphabet = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                             c == '+' || c == '/' || c == '=';
    if (!in_alphabet) return make_error("base64 text holds a character outside the base64 alphabet");
  }
  if (text.size() % 4 != 0) return make_error("base64 text has a length that is not a multiple of 4");
  std::size_t padding = 0;
  while (padding < text.size() && padding < 2 && text[text.size() - 1 - padding] == '=') ++padding;
  if (text.substr(0, text.size() - padding).find('=') != std::string_view::npos) {
    return make_error("base64 text has '=' before its end");
  }
  std::string out(text.size() / 4 * 3, '\0');
  const int written = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes_of(text),
                                      static_cast<int>(text.size()));
  if (written < 0) return make_error("base64 text holds a character outside the base64 alphabet");
  out.resize(static_cast<std::size_t>(written) - padding);
  return out;
}

bool equal_constant_time(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string random_bytes(std::size_t count) {
  std::string out(count, '\0');
  if (count > 0 && RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(count)) != 1) {
    throw std::runtime_error("the system random number generator failed");
  }
  return out;
}

}  // namespace cobrador::crypto
