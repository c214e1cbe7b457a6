// Stepping through what a bound statement selects, with a reader of one row (a function of a
// Row&). Every read of the store is one of three: all the rows, the first row, or one number;
// each of them once here, so that no read forgets to reset a statement it left standing on a
// row (a kept SQLite statement left so holds its read transaction open).
#pragma once

#include <cstdint>
#include <optional>
#include <type_traits>
#include <vector>

#include "store/sql/connection.hpp"
#include "store/sql/row.hpp"

namespace cobrador::store::sql {

// What a reader of one row makes of it.
template <class Read>
using RowValue = std::invoke_result_t<Read&, Row&>;

// Every row, each read by `read_one`.
template <class Read>
std::vector<RowValue<Read>> read_rows(Statement& stmt, Read read_one) {
  std::vector<RowValue<Read>> out;
  while (stmt.step()) {
    Row row(stmt);
    out.push_back(read_one(row));
  }
  return out;
}

// The first row read by `read_one`, or nothing when there is none; the statement left reset.
template <class Read>
std::optional<RowValue<Read>> read_first(Statement& stmt, Read read_one) {
  if (!stmt.step()) return std::nullopt;
  Row row(stmt);
  std::optional<RowValue<Read>> value(read_one(row));
  stmt.reset();
  return value;
}

// The number in the first column of the one row a query always returns (COUNT, MAX,
// EXISTS, a PRAGMA); the statement left reset.
inline std::int64_t read_number(Statement& stmt) {
  stmt.step();
  const auto number = stmt.int64(0);
  stmt.reset();
  return number;
}

}  // namespace cobrador::store::sql
