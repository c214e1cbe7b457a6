// Byte encodings the e-mail builder needs, done by OpenSSL rather than by hand.
#pragma once

#include <string>
#include <string_view>

namespace cobrador::notify {

// Standard base64 (RFC 4648, with padding, no line breaks).
std::string base64_encode(std::string_view bytes);

// Lowercase hex SHA-256 of the bytes (64 characters).
std::string sha256_hex(std::string_view bytes);

}  // namespace cobrador::notify
