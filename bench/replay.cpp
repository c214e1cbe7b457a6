// Implements reading rows back for the benchmarks' floors.
#include "bench/replay.hpp"

#include <stdexcept>

namespace cobrador::bench {

Rows read_rows(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK)
    throw std::runtime_error(sqlite3_errmsg(db));
  Rows rows;
  rows.columns = sqlite3_column_count(stmt);
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    for (int c = 0; c < rows.columns; ++c) {
      const auto type = sqlite3_column_type(stmt, c);
      rows.text.push_back(type == SQLITE_TEXT ? std::optional<std::string>(reinterpret_cast<const char*>(
                                                    sqlite3_column_text(stmt, c)))
                                              : std::nullopt);
      rows.integers.push_back(
          type == SQLITE_INTEGER ? std::optional<std::int64_t>(sqlite3_column_int64(stmt, c)) : std::nullopt);
    }
  }
  sqlite3_finalize(stmt);
  return rows;
}

void bind_row(store::sql::Statement& stmt, const Rows& rows, std::size_t row) {
  for (int c = 0; c < rows.columns; ++c) {
    const auto at = row * static_cast<std::size_t>(rows.columns) + static_cast<std::size_t>(c);
    if (rows.text[at])
      stmt.bind(c + 1, *rows.text[at]);
    else if (rows.integers[at])
      stmt.bind(c + 1, *rows.integers[at]);
    else
      stmt.bind_null(c + 1);
  }
}

}  // namespace cobrador::bench
