// Implements what the SQLite store adds to the shared SQL store: opening and migrating the
// file, durable commits for requests, and the write-ahead log's checkpoints.
#include "store/sqlite/sqlite_store.hpp"

#include <fmt/format.h>

#include "store/sqlite/migrations.hpp"

namespace cobrador::store::sqlite {

namespace {

// A connection that migrated keeps the definitions it read before (migration 8 edits them in
// place), so the store works on a new one.
std::unique_ptr<Database> open_migrated(const std::string& path) {
  auto db = std::make_unique<Database>(path);
  if (current_version(*db) == latest_version()) return db;
  migrate(*db);
  db.reset();
  return std::make_unique<Database>(path);
}

}  // namespace

SqliteStore::SqliteStore(const std::string& path)
    : SqlStore(open_migrated(path)), restart_frames_(static_cast<int>((16 << 20) / database().page_size())) {}

// SQLite checks a foreign key by opening the parent table and seeking the row, for every row
// written; a bank entry has three. The pragma is a no-op inside a transaction, so it is said
// before BEGIN and said back after COMMIT or ROLLBACK.
void SqliteStore::begin_with_own_references() {
  database().exec("PRAGMA foreign_keys = OFF");
  references_unchecked_ = true;
  try {
    begin();
  } catch (...) {
    check_references_again();
    throw;
  }
}

void SqliteStore::commit() {
  SqlStore::commit();  // a failed COMMIT leaves the transaction open: rollback() follows
  check_references_again();
}

void SqliteStore::rollback() {
  SqlStore::rollback();
  check_references_again();
}

void SqliteStore::check_references_again() {
  if (!references_unchecked_) return;
  database().exec("PRAGMA foreign_keys = ON");
  references_unchecked_ = false;
}

// WAL with synchronous=NORMAL survives a crash of the process but may lose the last commits on
// a power cut; FULL syncs the log on every commit, which group commit makes affordable.
void SqliteStore::prepare_for_requests() {
  database().exec("PRAGMA synchronous = FULL");
  // A statement inside a savepoint keeps a statement journal; on disk that is a temp file
  // opened and deleted for every request.
  database().exec("PRAGMA temp_store = MEMORY");
  // The pages requests touch are spread over the whole book (any customer may pay): a cache
  // of 64 MiB instead of the default 2 MiB saves a read from the OS for most of them.
  database().exec("PRAGMA cache_size = -65536");
}

// The hook replaces the automatic checkpoint (which is itself a WAL hook) and only counts:
// SQLite passes the log's length after every commit.
void SqliteStore::leave_checkpoints_to_others() {
  sqlite3_wal_hook(
      database().handle(),
      [](void* frames, sqlite3*, const char*, int length) {
        *static_cast<int*>(frames) = length;
        return SQLITE_OK;
      },
      &log_frames_);
}

// PASSIVE copies without blocking anyone, and syncs the database file after copying.
void SqliteStore::checkpoint() {
  const int rc =
      sqlite3_wal_checkpoint_v2(database().handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  // BUSY: another connection is checkpointing at the same moment.
  if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
    throw StoreError(fmt::format("sqlite: checkpoint: {}", sqlite3_errmsg(database().handle())));
  }
}

// A writer that never pauses keeps the log growing: SQLite starts it over only when a write
// begins with every frame already copied, and under load a commit always lands first. A
// RESTART resets it, but it holds writers back while it waits for readers; run from another
// connection it waited on the writer's own open transaction, which waited on it (commits of
// 100-700 ms, measured). Run here, between transactions, it waits on nobody who waits on it,
// and the checkpoint thread has already copied almost everything. The log file keeps its size
// (no journal_size_limit), so later commits overwrite blocks that exist instead of allocating.
void SqliteStore::restart_log_if_long() {
  if (log_frames_ < restart_frames_) return;
  database().set_busy_wait(std::chrono::milliseconds{20});
  const int rc =
      sqlite3_wal_checkpoint_v2(database().handle(), nullptr, SQLITE_CHECKPOINT_RESTART, nullptr, nullptr);
  database().set_busy_wait(Database::kBusyWait);
  if (rc == SQLITE_OK) log_frames_ = 0;
  // BUSY: a reader (the walk, a cobradorctl) still uses the log; the next batch tries again.
  if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
    throw StoreError(fmt::format("sqlite: restarting the log: {}", sqlite3_errmsg(database().handle())));
  }
}

}  // namespace cobrador::store::sqlite
