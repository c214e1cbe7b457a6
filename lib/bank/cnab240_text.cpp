// Implements the conversions between a CNAB file's bytes and UTF-8, with errors that say
// where in the file (line and column, in characters, as the bank's layout counts them).
#include "bank/cnab240_text.hpp"

#include <fmt/format.h>

#include "util/utf8.hpp"

namespace cobrador::bank::cnab240 {

namespace {

// Line and column (in characters) of the byte at `offset`; the text before it is valid UTF-8.
std::pair<std::size_t, std::size_t> place_of(std::string_view content, std::size_t offset) {
  std::size_t line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < offset; ++i) {
    if (content[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  std::size_t column = 1;
  for (std::size_t i = line_start; i < offset; i += utf8::char_length(content, i)) ++column;
  return {line, column};
}

std::string to_utf8(const std::string& text) {
  return utf8::is_ascii(text) ? text : windows1252_to_utf8(text);
}

}  // namespace

Result<std::string> one_byte_per_column(std::string_view content, TextEncoding encoding) {
  if (encoding == TextEncoding::windows1252 || utf8::is_ascii(content)) return std::string(content);
  if (const auto bad = utf8::first_invalid(content)) {
    const auto [line, column] = place_of(content, *bad);
    return make_error(fmt::format(
        "line {}, column {}: not valid UTF-8 (a file in ISO-8859-1 or Windows-1252 needs --encoding latin1)",
        line, column));
  }
  std::size_t failed_at = 0;
  auto bytes = utf8_to_windows1252(content, failed_at);
  if (!bytes) {
    const auto [line, column] = place_of(content, failed_at);
    return make_error(fmt::format("line {}, column {}: '{}' cannot be written in a CNAB 240 record", line,
                                  column, content.substr(failed_at, utf8::char_length(content, failed_at))));
  }
  return std::move(*bytes);
}

void text_to_utf8(std::vector<BankEntry>& entries) {
  for (auto& entry : entries) {
    entry.identity = to_utf8(entry.identity);
    entry.status_code = to_utf8(entry.status_code);
    for (auto& reference : entry.references) reference.value = to_utf8(reference.value);
  }
}

}  // namespace cobrador::bank::cnab240
