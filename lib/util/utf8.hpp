// UTF-8 as cobrador checks it where text enters (import rows, bank statements, templates,
// request headers) and steps through it (column numbers, RFC 2047 encoded-words).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace cobrador::utf8 {

// The byte offset of the first invalid sequence (bad lead byte, truncated, overlong, surrogate
// or above U+10FFFF), or nothing when the whole text is valid UTF-8.
std::optional<std::size_t> first_invalid(std::string_view text);

// Length in bytes of the character that starts at text[pos]; 1 for a byte that does not start
// a valid sequence, so that callers always make progress.
std::size_t char_length(std::string_view text, std::size_t pos);

// The code point of the valid sequence at text[pos] (see char_length), or nothing.
std::optional<char32_t> code_point_at(std::string_view text, std::size_t pos);

// True when every byte is 7-bit ASCII.
bool is_ascii(std::string_view text);

// What is wrong with `text` as a single-line value (an id, a name, an e-mail address, a
// reference): "not valid UTF-8" or "contains a control character (U+000A)", naming the first
// problem; nothing when it is fine. Control characters are C0 (tab, CR and LF included), DEL
// and C1: a CR/LF in a name would end a mail header, a NUL would cut a C string.
std::optional<std::string> line_problem(std::string_view text);

// `text` with every invalid sequence replaced by U+FFFD, for text that is already stored and
// must be shown (never refused twice).
std::string repaired(std::string_view text);

}  // namespace cobrador::utf8
