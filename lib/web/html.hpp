// Markup built so that what a customer or an operator typed can never become markup: html()
// formats like fmt::format, but every string argument is escaped unless it is already Html
// (markup this program wrote). A customer named <script>alert(1)</script> is shown as text.
#pragma once

#include <concepts>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include <fmt/format.h>

namespace cobrador::web {

// Markup written by this program (or escaped already).
struct Html {
  std::string markup;

  Html& operator+=(const Html& more) {
    markup += more.markup;
    return *this;
  }
};

// `text` with & < > " ' replaced by their character references: safe in an element's text and
// in a quoted attribute value.
std::string escape(std::string_view text);

namespace detail {

inline const std::string& formatted(const Html& html) { return html.markup; }
inline std::string formatted(std::string_view text) { return escape(text); }
inline std::string formatted(const std::string& text) { return escape(text); }
inline std::string formatted(const char* text) { return escape(text); }
template <typename Number>
requires std::is_arithmetic_v<Number> Number formatted(Number number) { return number; }

}  // namespace detail

// fmt::format for markup: `pattern` is this program's markup; strings are escaped, Html is not.
template <typename... Args>
Html html(fmt::format_string<decltype(detail::formatted(std::declval<Args>()))...> pattern, Args&&... args) {
  return Html{fmt::format(pattern, detail::formatted(std::forward<Args>(args))...)};
}

// Markup joined.
template <typename Range>
Html join(const Range& parts) {
  Html out;
  for (const auto& part : parts) out += part;
  return out;
}

}  // namespace cobrador::web
