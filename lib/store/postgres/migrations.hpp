// The numbered, forward-only migrations of the PostgreSQL schema, one for each of SQLite's.
// The table cobrador_schema holds the numbers applied.
#pragma once

#include <span>
#include <string_view>

#include "store/sql/migration.hpp"
#include "store/postgres/connection.hpp"

namespace cobrador::store::postgres {

using sql::Migration;

std::span<const Migration> migrations();
int latest_version();
int current_version(Connection& db);
// Applies every migration above the current version, each in its own transaction under an
// advisory lock, up to `target` (all by default). Refuses a database newer than this program.
void migrate(Connection& db, int target = -1);

}  // namespace cobrador::store::postgres
