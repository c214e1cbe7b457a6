// Implements RFC 2047 encoded-words, phrase quoting and RFC 5322 header folding.
#include "notify/mime_header.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>

#include <fmt/format.h>

#include "notify/encoding.hpp"
#include "util/utf8.hpp"

namespace cobrador::notify {

namespace {

constexpr std::string_view word_prefix = "=?UTF-8?B?";
constexpr std::string_view word_suffix = "?=";
// A 4-byte character needs 8 base64 characters, plus the 12 of prefix and suffix.
constexpr std::size_t smallest_word = 20;

// What is left on a header's first line after "Header: ".
std::size_t first_line_room(std::string_view header) { return max_header_line - header.size() - 2; }

// The raw bytes that fit in one encoded-word of at most `max` characters.
std::size_t raw_bytes_for(std::size_t max) { return (max - word_prefix.size() - word_suffix.size()) / 4 * 3; }

std::vector<std::string> split_words(std::string_view value) {
  std::vector<std::string> words;
  std::size_t start = 0;
  while (start <= value.size()) {
    const auto blank = std::min(value.find(' ', start), value.size());
    words.emplace_back(value.substr(start, blank - start));
    start = blank + 1;
  }
  return words;
}

bool is_printable_ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x20 && c <= 0x7E; });
}

// Plain words fold cleanly when they are printable ASCII separated by single blanks, none too
// long for a line, and nothing a decoder would take for an encoded-word ("=?").
bool folds_as_plain_words(std::string_view header, std::string_view value) {
  if (!is_printable_ascii(value) || value.find("=?") != std::string_view::npos) return false;
  const auto words = split_words(value);
  return std::none_of(words.begin(), words.end(),
                      [&](const std::string& w) { return w.empty() || w.size() > first_line_room(header); });
}

bool is_phrase_atom(std::string_view word) {
  return !word.empty() && std::all_of(word.begin(), word.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
           std::strchr("!#$%&'*+-/=?^_`{|}~", c) != nullptr;
  });
}

// A display name of printable ASCII with specials ("Smith, Ann") as one quoted-string.
std::string quoted_string(std::string_view name) {
  std::string out = "\"";
  for (const char c : name) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::vector<std::string> display_name_tokens(std::string_view header, std::string_view name) {
  if (name.empty()) return {};
  if (folds_as_plain_words(header, name)) {
    auto words = split_words(name);
    if (std::all_of(words.begin(), words.end(), is_phrase_atom)) return words;
    const std::string quoted = quoted_string(name);
    if (quoted.size() <= first_line_room(header)) return {quoted};
  }
  return encode_words(name, first_line_room(header));
}

}  // namespace

Status check_header_value(std::string_view header, std::string_view value) {
  if (value.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos) {
    return make_error(fmt::format("{}: a header value may not hold a line break or NUL", header));
  }
  return Ok{};
}

std::vector<std::string> encode_words(std::string_view utf8, std::size_t first_max) {
  std::vector<std::string> words;
  std::size_t max = std::min(first_max, max_encoded_word);
  // Too little room on the first line: start on a folded line instead.
  if (max < smallest_word) max = max_encoded_word;
  std::size_t pos = 0;
  while (pos < utf8.size()) {
    const std::size_t budget = raw_bytes_for(max);
    std::size_t end = pos;
    while (end < utf8.size()) {
      const std::size_t next = end + utf8::char_length(utf8, end);
      if (next - pos > budget) break;
      end = next;
    }
    words.push_back(
        fmt::format("{}{}{}", word_prefix, base64_encode(utf8.substr(pos, end - pos)), word_suffix));
    pos = end;
    max = max_encoded_word;
  }
  return words;
}

std::vector<std::string> unstructured_tokens(std::string_view header, std::string_view value) {
  if (value.empty()) return {};
  if (folds_as_plain_words(header, value)) return split_words(value);
  return encode_words(value, first_line_room(header));
}

std::vector<std::string> mailbox_tokens(std::string_view header, const Mailbox& mailbox) {
  auto tokens = display_name_tokens(header, mailbox.display_name);
  tokens.push_back(fmt::format("<{}>", mailbox.address));
  return tokens;
}

std::string fold_header(std::string_view header, const std::vector<std::string>& tokens) {
  std::string out;
  std::string line = fmt::format("{}:", header);
  bool line_has_token = false;
  for (const std::string& token : tokens) {
    const bool fits = line.size() + 1 + token.size() <= max_header_line;
    // A token too long for any line stays where it is rather than leave an empty line behind.
    const bool helps = token.size() + 1 <= max_header_line || line_has_token;
    if (!fits && helps) {
      out += line + "\r\n";
      line.clear();
    }
    line += ' ';
    line += token;
    line_has_token = true;
  }
  return out + line + "\r\n";
}

}  // namespace cobrador::notify
