// A kind of record the store reads (a customer, a service, a promise…) as one value: its
// columns, the tables they come from, and the reader of its rows. Each record is read several
// ways that differ only in the clauses after the SELECT and the values bound to them; a read
// names just those, so that a record's columns and its reader are written once, side by side.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "store/sql/connection.hpp"
#include "store/sql/row.hpp"
#include "store/sql/rows.hpp"

namespace cobrador::store::sql {

template <class T>
struct RecordSelect {
  std::string_view columns;  // in the order read_one reads them
  std::string_view from;     // the tables, with their aliases and joins
  T (*read_one)(Row&);

  std::string sql(std::string_view clauses) const {
    return fmt::format("SELECT {} FROM {} {}", columns, from, clauses);
  }
};

// Every record the `clauses` (WHERE, ORDER BY…) select, `values` bound to their `?` in order.
template <class T, class... Values>
std::vector<T> select_all(Connection& db, const RecordSelect<T>& records, std::string_view clauses,
                          const Values&... values) {
  auto& stmt = db.prepare(records.sql(clauses));
  return read_rows(stmt.bind_all(values...), records.read_one);
}

// The first of them, or nothing.
template <class T, class... Values>
std::optional<T> select_first(Connection& db, const RecordSelect<T>& records, std::string_view clauses,
                              const Values&... values) {
  auto& stmt = db.prepare(records.sql(clauses));
  return read_first(stmt.bind_all(values...), records.read_one);
}

}  // namespace cobrador::store::sql
