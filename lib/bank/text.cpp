// Implements the text helpers of text.hpp with plain loops over bytes (no locale involved,
// so results do not depend on the machine's settings).
#include "bank/text.hpp"

#include <algorithm>

namespace cobrador::bank {

namespace {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

char lower_ascii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool is_joiner(char c) { return c == '-' || c == '_' || c == '.' || c == '/'; }

bool is_word_byte(char c) {
  const auto u = static_cast<unsigned char>(c);
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || u >= 0x80 ||
         is_joiner(c);
}

std::string_view trim_joiners(std::string_view word) {
  while (!word.empty() && is_joiner(word.front())) word.remove_prefix(1);
  while (!word.empty() && is_joiner(word.back())) word.remove_suffix(1);
  return word;
}

}  // namespace

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_blank(text.back())) text.remove_suffix(1);
  return text;
}

bool equals_ignore_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [](char x, char y) { return lower_ascii(x) == lower_ascii(y); });
}

std::string fold_case(std::string_view text) {
  std::string folded(text);
  std::transform(folded.begin(), folded.end(), folded.begin(), lower_ascii);
  return folded;
}

std::uint64_t fold_case_hash(std::string_view text) {
  std::uint64_t hash = 14695981039346656037ULL;  // FNV-1a's offset basis and prime
  for (const char c : text) {
    hash ^= static_cast<unsigned char>(lower_ascii(c));
    hash *= 1099511628211ULL;
  }
  return hash;
}

std::vector<std::string> split_words(std::string_view text) {
  std::vector<std::string> words;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && !is_word_byte(text[i])) ++i;
    const std::size_t start = i;
    while (i < text.size() && is_word_byte(text[i])) ++i;
    const auto word = trim_joiners(text.substr(start, i - start));
    if (!word.empty()) words.emplace_back(word);
  }
  return words;
}

}  // namespace cobrador::bank
