// Moving a SQLite database into PostgreSQL whole, for an installation that grows from one
// daemon to several (`cobradorctl db copy --to postgresql://…`, docs/operations.md).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "store/postgres/connection.hpp"
#include "util/progress.hpp"
#include "util/result.hpp"

namespace cobrador::store {

struct CopiedTable {
  std::string name;
  std::int64_t rows = 0;
};

// What was copied, table by table in the order written (parents before the rows that refer
// to them).
struct CopyReport {
  std::vector<CopiedTable> tables;
  std::int64_t total_rows() const;
};

// Copies every row of every table of the SQLite file at `sqlite_path` (migrated to the latest
// version first) into the database `target`, migrated too, keeping ids, with each identity
// sequence moved past the highest id. Refuses a target whose cobrador tables hold any row,
// naming the table. One transaction on each side: the file is read as one snapshot, and the
// target gets all of it, with the same row count in every table, or nothing. A failure names
// the table and, for a row PostgreSQL refused, the row. `progress` hears the rows copied of
// the file's rows.
Result<CopyReport> copy_sqlite_to_postgresql(const std::string& sqlite_path,
                                             const postgres::ConnectionOptions& target,
                                             const Progress& progress = {});

}  // namespace cobrador::store
