// What the floors of the benchmarks are made of: rows read back from a database that cobrador
// wrote, to be written again with bare prepared statements, so that a floor writes exactly
// the rows the measured code wrote and nothing else.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <sqlite3.h>

#include "store/sql/connection.hpp"

namespace cobrador::bench {

// A table of values as SQLite typed them (text or integer; anything else reads back as NULL).
struct Rows {
  int columns = 0;
  std::vector<std::optional<std::string>> text;
  std::vector<std::optional<std::int64_t>> integers;
  std::size_t size() const { return columns == 0 ? 0 : text.size() / static_cast<std::size_t>(columns); }
  std::optional<std::int64_t> integer(std::size_t row, int column) const {
    return integers[row * static_cast<std::size_t>(columns) + static_cast<std::size_t>(column)];
  }
};

Rows read_rows(sqlite3* db, const std::string& sql);

// Binds row `row` of `rows` to parameters 1..columns of `stmt`.
void bind_row(store::sql::Statement& stmt, const Rows& rows, std::size_t row);

}  // namespace cobrador::bench
