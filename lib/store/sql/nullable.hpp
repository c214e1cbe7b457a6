// Values bound as SQL NULL when they are absent. The domain says "absent" in several ways: an
// empty optional (a day, an instant, a filter), and an id of 0 (an action of no customer, a
// promise of no episode); the columns say it one way, NULL, which a foreign key and `IS NULL`
// need.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "domain/date.hpp"

namespace cobrador::store::sql {

inline std::optional<std::int64_t> day_number_or_null(const std::optional<Date>& day) {
  return day ? std::optional<std::int64_t>(to_day_number(*day)) : std::nullopt;
}

inline std::optional<std::int64_t> unix_or_null(const std::optional<Instant>& at) {
  return at ? std::optional<std::int64_t>(to_unix(*at)) : std::nullopt;
}

inline std::optional<std::int64_t> id_or_null(std::int64_t id) {
  return id != 0 ? std::optional<std::int64_t>(id) : std::nullopt;
}

// The word an enumeration's value is stored as (its to_string), or NULL for a filter not given.
template <class E>
std::optional<std::string_view> name_or_null(const std::optional<E>& value) {
  return value ? std::optional<std::string_view>(to_string(*value)) : std::nullopt;
}

}  // namespace cobrador::store::sql
