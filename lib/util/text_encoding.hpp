// The text encodings cobrador reads besides UTF-8. Many Brazilian banks and ERPs export
// statements and customer lists in ISO-8859-1 or Windows-1252; everything inside cobrador
// (the store, notices, JSON) is UTF-8, so such input is transcoded where it enters.
//
// As the WHATWG Encoding Standard (and every browser) does, "latin1" and "iso-8859-1" are read
// as Windows-1252: the two agree on every printable character, and files labelled Latin-1
// routinely carry Windows-1252's quotes and euro sign in 0x80-0x9F.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace cobrador {

enum class TextEncoding { utf8, windows1252 };

// "utf-8"/"utf8", "latin1"/"iso-8859-1"/"windows-1252"/"cp1252" (ASCII case ignored); nullopt
// for anything else.
std::optional<TextEncoding> encoding_named(std::string_view name);

// The names encoding_named accepts, for messages and --help.
inline constexpr std::string_view kEncodingNames = "utf-8, latin1 (iso-8859-1), windows-1252";

// Windows-1252 bytes as UTF-8. Total: every byte maps to one character (the five bytes
// Windows-1252 leaves undefined map to the C1 controls of the same value, as WHATWG says).
std::string windows1252_to_utf8(std::string_view bytes);

// The Unicode code point of a Windows-1252 byte (for expat's unknown-encoding map).
int windows1252_code_point(unsigned char byte);

// Valid UTF-8 as Windows-1252 bytes, one per character (a fixed-width CNAB record counts
// columns in characters); nothing when a character has no Windows-1252 byte, with its byte
// offset in `failed_at`.
std::optional<std::string> utf8_to_windows1252(std::string_view text, std::size_t& failed_at);

// `bytes` as UTF-8: transcoded from Windows-1252, or returned as they are for utf8 (a caller
// still checks them, with utf8::first_invalid).
std::string to_utf8(std::string_view bytes, TextEncoding from);

}  // namespace cobrador
