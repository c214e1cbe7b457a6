// Implements Windows-1252 to UTF-8 with the code points of the WHATWG index for 0x80-0x9F;
// every other byte is the code point of the same value (ISO-8859-1).
#include "util/text_encoding.hpp"

#include <algorithm>
#include <array>

#include "util/utf8.hpp"

namespace cobrador {

namespace {

// Windows-1252 0x80-0x9F (WHATWG index-windows-1252); the undefined 0x81, 0x8D, 0x8F, 0x90
// and 0x9D keep their own value.
constexpr std::array<char16_t, 32> kHighControls{
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

char lower_ascii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool same_name(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower_ascii(a[i]) != lower_ascii(b[i])) return false;
  }
  return true;
}

void append_utf8(std::string& out, int code_point) {
  if (code_point < 0x80) {
    out += static_cast<char>(code_point);
  } else if (code_point < 0x800) {
    out += static_cast<char>(0xC0 | (code_point >> 6));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else {  // every Windows-1252 character is in the Basic Multilingual Plane
    out += static_cast<char>(0xE0 | (code_point >> 12));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  }
}

}  // namespace

std::optional<TextEncoding> encoding_named(std::string_view name) {
  for (const auto utf8 : {"utf-8", "utf8"}) {
    if (same_name(name, utf8)) return TextEncoding::utf8;
  }
  for (const auto single : {"latin1", "latin-1", "iso-8859-1", "iso8859-1", "windows-1252", "cp1252"}) {
    if (same_name(name, single)) return TextEncoding::windows1252;
  }
  return std::nullopt;
}

int windows1252_code_point(unsigned char byte) {
  if (byte >= 0x80 && byte <= 0x9F) return kHighControls[byte - 0x80];
  return byte;
}

std::string windows1252_to_utf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 8);
  for (const char c : bytes) append_utf8(out, windows1252_code_point(static_cast<unsigned char>(c)));
  return out;
}

std::optional<std::string> utf8_to_windows1252(std::string_view text, std::size_t& failed_at) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t pos = 0; pos < text.size(); pos += utf8::char_length(text, pos)) {
    const auto c = utf8::code_point_at(text, pos);
    if (c && (*c < 0x80 || (*c >= 0xA0 && *c <= 0xFF))) {
      out += static_cast<char>(*c);
      continue;
    }
    const auto high = c ? std::find(kHighControls.begin(), kHighControls.end(), *c) : kHighControls.end();
    if (high == kHighControls.end()) {
      failed_at = pos;
      return std::nullopt;
    }
    out += static_cast<char>(0x80 + (high - kHighControls.begin()));
  }
  return out;
}

std::string to_utf8(std::string_view bytes, TextEncoding from) {
  return from == TextEncoding::windows1252 ? windows1252_to_utf8(bytes) : std::string(bytes);
}

}  // namespace cobrador
