// Implements UTF-8 validation and character stepping (RFC 3629).
#include "util/utf8.hpp"

#include <fmt/format.h>

namespace cobrador::utf8 {

namespace {

bool is_continuation(unsigned char byte) { return (byte & 0xC0) == 0x80; }

// Length of a well-formed sequence at pos, or 0 when it is not well formed. The ranges for the
// second byte come from RFC 3629's table; they refuse overlongs and surrogates.
std::size_t valid_length(std::string_view text, std::size_t pos) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[pos + i]); };
  const unsigned char lead = byte(0);
  if (lead < 0x80) return 1;
  std::size_t length = 0;
  unsigned char low = 0x80;
  unsigned char high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;
    if (lead == 0xED) high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
  } else {
    return 0;
  }
  if (pos + length > text.size()) return 0;
  if (byte(1) < low || byte(1) > high) return 0;
  for (std::size_t i = 2; i < length; ++i) {
    if (!is_continuation(byte(i))) return 0;
  }
  return length;
}

bool is_control(char32_t c) { return c < 0x20 || (c >= 0x7F && c <= 0x9F); }

}  // namespace

std::optional<std::size_t> first_invalid(std::string_view text) {
  for (std::size_t pos = 0; pos < text.size();) {
    if (static_cast<unsigned char>(text[pos]) < 0x80) {  // ASCII, without a call
      ++pos;
      continue;
    }
    const std::size_t length = valid_length(text, pos);
    if (length == 0) return pos;
    pos += length;
  }
  return std::nullopt;
}

std::size_t char_length(std::string_view text, std::size_t pos) {
  const std::size_t length = valid_length(text, pos);
  return length == 0 ? 1 : length;
}

std::optional<char32_t> code_point_at(std::string_view text, std::size_t pos) {
  const std::size_t length = valid_length(text, pos);
  if (length == 0) return std::nullopt;
  const auto lead = static_cast<unsigned char>(text[pos]);
  if (length == 1) return lead;
  char32_t value = lead & (0x7F >> length);
  for (std::size_t i = 1; i < length; ++i)
    value = (value << 6) | (static_cast<unsigned char>(text[pos + i]) & 0x3F);
  return value;
}

bool is_ascii(std::string_view text) {
  for (const char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

std::optional<std::string> line_problem(std::string_view text) {
  for (std::size_t pos = 0; pos < text.size();) {
    // Printable ASCII, nearly every byte of an import, needs no decoding.
    if (const auto byte = static_cast<unsigned char>(text[pos]); byte >= 0x20 && byte < 0x7F) {
      ++pos;
      continue;
    }
    const auto c = code_point_at(text, pos);
    if (!c) return std::string("not valid UTF-8");
    if (is_control(*c))
      return fmt::format("contains a control character (U+{:04X})", static_cast<unsigned>(*c));
    pos += char_length(text, pos);
  }
  return std::nullopt;
}

std::string repaired(std::string_view text) {
  if (!first_invalid(text)) return std::string(text);
  std::string out;
  out.reserve(text.size() + 8);
  for (std::size_t pos = 0; pos < text.size();) {
    const std::size_t length = valid_length(text, pos);
    if (length == 0) {
      out += "\xEF\xBF\xBD";
      ++pos;
    } else {
      out.append(text.substr(pos, length));
      pos += length;
    }
  }
  return out;
}

}  // namespace cobrador::utf8
