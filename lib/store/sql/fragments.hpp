// The pieces of SQL that SQLite and PostgreSQL spell differently, so that a query needing one
// is still written once. Payloads are kept as JSON text in both databases.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "store/sql/connection.hpp"

namespace cobrador::store::sql {

// The text of a top-level key of a JSON column (NULL when absent).
inline std::string json_text(Dialect dialect, std::string_view column, std::string_view key) {
  return dialect == Dialect::postgresql ? fmt::format("({}::jsonb ->> '{}')", column, key)
                                        : fmt::format("json_extract({}, '$.{}')", column, key);
}

// A top-level boolean key of a JSON column as a condition; absent reads as false.
inline std::string json_flag(Dialect dialect, std::string_view column, std::string_view key) {
  return dialect == Dialect::postgresql
             ? fmt::format("COALESCE(({}::jsonb ->> '{}')::boolean, false)", column, key)
             : fmt::format("COALESCE(json_extract({}, '$.{}'), 0) != 0", column, key);
}

// The smaller of two values (SQLite's two-argument MIN, PostgreSQL's LEAST).
inline std::string least(Dialect dialect, std::string_view a, std::string_view b) {
  return fmt::format("{}({}, {})", pick(dialect, "MIN", "LEAST"), a, b);
}

// `column` is one of a list of ids bound as one value (id_list): a batch of customers is read
// in one statement per table, not one per customer (a round trip each on PostgreSQL).
inline std::string in_id_list(Dialect dialect, std::string_view column) {
  return dialect == Dialect::postgresql ? fmt::format("{} = ANY(CAST(? AS BIGINT[]))", column)
                                        : fmt::format("{} IN (SELECT value FROM json_each(?))", column);
}

// The value in_id_list binds: a PostgreSQL array literal, or a JSON array for SQLite.
inline std::string id_list(Dialect dialect, std::span<const std::int64_t> ids) {
  const bool postgresql = dialect == Dialect::postgresql;
  std::string out(1, postgresql ? '{' : '[');
  for (std::size_t i = 0; i < ids.size(); ++i)
    fmt::format_to(std::back_inserter(out), "{}{}", i ? "," : "", ids[i]);
  out += postgresql ? '}' : ']';
  return out;
}

}  // namespace cobrador::store::sql
