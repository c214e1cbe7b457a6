// A notice template: text with {{name}} placeholders, parsed once and rendered many times.
// Parsing refuses what would otherwise surface as a hole in a customer's notice: an unclosed
// "{{", a name the caller never supplies, text that is not UTF-8. Errors name file:line:col
// (1-based; the column counts characters, as an editor shows them).
#pragma once

#include <cstddef>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.hpp"

namespace cobrador::notify {

// Values for the placeholders, already formatted for the customer ("49.90 BRL", "08/03/2026").
using Variables = std::map<std::string, std::string, std::less<>>;

struct Placeholder {
  std::string name;
  std::size_t line = 0;
  std::size_t column = 0;
};

class Template {
 public:
  Template() = default;

  // `file` is only used in messages. Every placeholder must be one of `allowed`; "{{" always
  // opens a placeholder, and one placeholder never spans lines. "{{ name }}" may have blanks.
  static Result<Template> parse(std::string_view text, std::string file,
                                std::span<const std::string_view> allowed);

  // The text with every placeholder replaced; a placeholder without a value is an error that
  // names where it is, so that a notice with a hole is never sent.
  Result<std::string> render(const Variables& values) const;
  // Same, but each value goes through `escape` first (JSON or URL escaping of a request body).
  template <class Escape>
  Result<std::string> render(const Variables& values, Escape&& escape) const;

  const std::string& file() const { return file_; }
  const std::vector<Placeholder>& placeholders() const { return placeholders_; }
  // The literal text, for checks on the template's shape (a subject has one line).
  const std::vector<std::string>& literals() const { return literals_; }

 private:
  std::string missing_value(const Placeholder& where) const;

  std::string file_;
  // literals_[i] comes before placeholders_[i]; the last literal closes the text, so there is
  // always one more literal than placeholders.
  std::vector<std::string> literals_{std::string{}};
  std::vector<Placeholder> placeholders_;
};

template <class Escape>
Result<std::string> Template::render(const Variables& values, Escape&& escape) const {
  std::string out = literals_.front();
  for (std::size_t i = 0; i < placeholders_.size(); ++i) {
    const auto found = values.find(placeholders_[i].name);
    if (found == values.end()) return make_error(missing_value(placeholders_[i]));
    Result<std::string> escaped = escape(found->second);
    if (!escaped) return escaped.error();
    out += *escaped;
    out += literals_[i + 1];
  }
  return out;
}

}  // namespace cobrador::notify
