// Names the values of an enumeration for files, the API, the store and messages. Each
// enumeration has one table of {value, name} pairs instead of a switch per direction, so that
// the word a value is written as and the word that reads back to it cannot drift apart, and a
// message can list the accepted words from the same table.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace cobrador {

template <class E>
struct EnumName {
  E value;
  std::string_view name;
};

// The name of `value`; `unnamed` for a value the table leaves out (a number cast to E).
template <class E, std::size_t N>
constexpr std::string_view name_of(const EnumName<E> (&names)[N], E value, std::string_view unnamed = "?") {
  for (const auto& entry : names) {
    if (entry.value == value) return entry.name;
  }
  return unnamed;
}

// The value named `text`, the first one where two share a name; nullopt for a word that names none.
template <class E, std::size_t N>
constexpr std::optional<E> value_named(const EnumName<E> (&names)[N], std::string_view text) {
  for (const auto& entry : names) {
    if (entry.name == text) return entry.value;
  }
  return std::nullopt;
}

// "open, paid, void": the accepted words, in the table's order, for a message that refuses one.
template <class E, std::size_t N>
std::string names_listed(const EnumName<E> (&names)[N]) {
  std::string out;
  for (const auto& entry : names) {
    if (!out.empty()) out += ", ";
    out += entry.name;
  }
  return out;
}

}  // namespace cobrador
