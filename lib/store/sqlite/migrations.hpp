// The numbered, forward-only migrations of the SQLite schema. PRAGMA user_version holds the
// number of the last one applied.
#pragma once

#include <span>
#include <string_view>

#include "store/sql/migration.hpp"
#include "store/sqlite/database.hpp"

namespace cobrador::store::sqlite {

using sql::Migration;

std::span<const Migration> migrations();
int latest_version();
int current_version(Database& db);
// Applies every migration above the current version, each in its own transaction, up to
// `target` (all by default). Refuses a database newer than this program.
void migrate(Database& db, int target = -1);

}  // namespace cobrador::store::sqlite
