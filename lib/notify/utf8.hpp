// UTF-8 helpers that notices need: templates and subjects are UTF-8, errors count columns in
// characters (what an editor shows), and RFC 2047 encoded-words must not split a character.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace cobrador::notify::utf8 {

// The byte offset of the first invalid sequence (bad lead byte, truncated, overlong, surrogate
// or above U+10FFFF), or nothing when the whole text is valid UTF-8.
std::optional<std::size_t> first_invalid(std::string_view text);

// Length in bytes of the character that starts at text[pos]; 1 for a byte that does not start
// a valid sequence, so that callers always make progress.
std::size_t char_length(std::string_view text, std::size_t pos);

// True when every byte is 7-bit ASCII.
bool is_ascii(std::string_view text);

}  // namespace cobrador::notify::utf8
