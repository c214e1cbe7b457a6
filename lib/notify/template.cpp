// Implements the {{placeholder}} template parser and renderer.
#include "notify/template.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "util/utf8.hpp"

namespace cobrador::notify {

namespace {

// Walks the text keeping the 1-based line and character column of the current byte.
class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}

  bool done() const { return pos_ >= text_.size(); }
  std::size_t pos() const { return pos_; }
  std::size_t line() const { return line_; }
  std::size_t column() const { return column_; }

  // Moves to byte offset `target` (never backwards), counting lines and characters.
  void advance_to(std::size_t target) {
    while (pos_ < target) {
      if (text_[pos_] == '\n') {
        ++line_;
        column_ = 1;
        ++pos_;
      } else {
        pos_ += utf8::char_length(text_, pos_);
        ++column_;
      }
    }
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
  std::size_t column_ = 1;
};

std::string_view trim_blanks(std::string_view s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t");
  return s.substr(first, last - first + 1);
}

bool is_name(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

std::string where(const std::string& file, std::size_t line, std::size_t column) {
  return fmt::format("{}:{}:{}", file, line, column);
}

}  // namespace

Result<Template> Template::parse(std::string_view text, std::string file,
                                 std::span<const std::string_view> allowed) {
  Template result;
  result.file_ = std::move(file);
  Cursor cursor(text);
  // Checked first so that column numbers below are counted over valid characters.
  if (const auto bad = utf8::first_invalid(text)) {
    cursor.advance_to(*bad);
    return make_error(where(result.file_, cursor.line(), cursor.column()) + ": invalid UTF-8");
  }
  while (!cursor.done()) {
    const std::size_t open = text.find("{{", cursor.pos());
    if (open == std::string_view::npos) {
      result.literals_.back() += text.substr(cursor.pos());
      break;
    }
    result.literals_.back() += text.substr(cursor.pos(), open - cursor.pos());
    cursor.advance_to(open);
    const std::string at = where(result.file_, cursor.line(), cursor.column());
    const std::size_t close = text.find("}}", open + 2);
    const std::size_t newline = text.find('\n', open + 2);
    if (close == std::string_view::npos || newline < close) {
      return make_error(at + ": '{{' is not closed on its line");
    }
    const std::string_view name = trim_blanks(text.substr(open + 2, close - open - 2));
    if (!is_name(name)) {
      return make_error(
          fmt::format("{}: '{}' is not a placeholder name (use lowercase letters, "
                      "digits and '_')",
                      at, text.substr(open, close + 2 - open)));
    }
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      return make_error(fmt::format("{}: unknown placeholder {{{{{}}}}}", at, name));
    }
    result.placeholders_.push_back({std::string(name), cursor.line(), cursor.column()});
    result.literals_.emplace_back();
    cursor.advance_to(close + 2);
  }
  return result;
}

Result<std::string> Template::render(const Variables& values) const {
  return render(values, [](const std::string& value) -> Result<std::string> { return value; });
}

std::string Template::missing_value(const Placeholder& at) const {
  return fmt::format("{}: no value for {{{{{}}}}}", where(file_, at.line, at.column), at.name);
}

}  // namespace cobrador::notify
