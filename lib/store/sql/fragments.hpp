// The pieces of SQL that SQLite and PostgreSQL spell differently, so that a query needing one
// is still written once. Payloads are kept as JSON text in both databases.
#pragma once

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

}  // namespace cobrador::store::sql
