// Header fields of an Internet message (RFC 5322) with non-ASCII text carried as RFC 2047
// encoded-words. Lines are folded at 78 characters; values with a line break are refused,
// because a CR or LF inside a value would let it add headers of its own (header injection).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "notify/mailbox.hpp"
#include "util/result.hpp"

namespace cobrador::notify {

// The longest line the headers we write may have (RFC 5322 §2.1.1 "SHOULD").
inline constexpr std::size_t max_header_line = 78;
// The longest encoded-word RFC 2047 §2 allows.
inline constexpr std::size_t max_encoded_word = 75;

// Refuses CR, LF and NUL in a value, naming the header (never the value).
Status check_header_value(std::string_view header, std::string_view value);

// UTF-8 text as "=?UTF-8?B?...?=" words, none longer than 75 characters and none splitting a
// character; the first is at most `first_max` characters (what is left of the first line).
// Decoders join adjacent encoded-words without the blank that separates them.
std::vector<std::string> encode_words(std::string_view utf8, std::size_t first_max = max_encoded_word);

// The value of an unstructured header (Subject) as tokens to fold: its words when it is plain
// printable ASCII that folds cleanly, else encoded-words.
std::vector<std::string> unstructured_tokens(std::string_view header, std::string_view value);

// A mailbox as tokens: the display name (as atoms, a quoted-string, or encoded-words) and
// "<address>".
std::vector<std::string> mailbox_tokens(std::string_view header, const Mailbox& mailbox);

// "Header: token token\r\n token\r\n": tokens joined by blanks, folded before a token that would
// pass 78 characters. A token is never split.
std::string fold_header(std::string_view header, const std::vector<std::string>& tokens);

}  // namespace cobrador::notify
