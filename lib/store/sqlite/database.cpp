// Implements the RAII SQLite connection and statements.
#include "store/sqlite/database.hpp"

#include <thread>

#include <fmt/format.h>

namespace cobrador::store {

namespace {

bool is_busy(int code) {
  const int primary = code & 0xFF;
  return primary == SQLITE_BUSY || primary == SQLITE_LOCKED;
}

[[noreturn]] void fail(sqlite3* db, std::string_view doing) {
  const auto message = fmt::format("sqlite: {}: {}", doing, db ? sqlite3_errmsg(db) : "out of memory");
  if (db && is_busy(sqlite3_extended_errcode(db))) throw StoreBusy(message);
  throw StoreError(message);
}

sqlite3_stmt* compile(sqlite3* db, std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt,
                         nullptr) != SQLITE_OK) {
    fail(db, fmt::format("preparing `{}`", sql));
  }
  return stmt;
}

}  // namespace

Statement::Statement(sqlite3* db, std::string_view sql)
    : stmt_(compile(db, sql), &sqlite3_finalize), db_(db) {}

void Statement::reset() {
  sqlite3_reset(stmt_.get());
  sqlite3_clear_bindings(stmt_.get());
  dirty_ = false;
}

void Statement::bind_int64(int index, std::int64_t value) {
  if (dirty_) reset();
  if (sqlite3_bind_int64(stmt_.get(), index, value) != SQLITE_OK) fail(db_, "binding");
}

void Statement::bind_text(int index, std::string_view value) {
  if (dirty_) reset();
  if (sqlite3_bind_text(stmt_.get(), index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT) !=
      SQLITE_OK) {
    fail(db_, "binding");
  }
}

void Statement::bind_nothing(int index) {
  if (dirty_) reset();
  if (sqlite3_bind_null(stmt_.get(), index) != SQLITE_OK) fail(db_, "binding");
}

bool Statement::step() {
  dirty_ = true;
  const int rc = sqlite3_step(stmt_.get());
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) {
    sqlite3_reset(stmt_.get());  // ends the statement's read snapshot at once
    return false;
  }
  const std::string sql = sqlite3_sql(stmt_.get());
  sqlite3_reset(stmt_.get());
  fail(db_, fmt::format("running `{}`", sql));
}

void Statement::run() {
  while (step()) {
  }
  reset();
}

std::string Statement::text(int column) const {
  const auto* bytes = sqlite3_column_text(stmt_.get(), column);
  return bytes ? std::string(reinterpret_cast<const char*>(bytes), sqlite3_column_bytes(stmt_.get(), column))
               : std::string();
}

Database::Database(const std::string& path) : path_(path), db_(nullptr, &sqlite3_close_v2) {
  // SQLite counts its memory by default, behind a process-wide mutex taken on every allocation
  // (a tenth of a bank import's SQLite time, measured); nothing here reads those counts. It can
  // only be said before SQLite starts: by the first connection (MISUSE after that is ignored).
  static const int kNoMemoryStatistics = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  (void)kNoMemoryStatistics;
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw,
                                 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  db_.reset(raw);
  if (rc != SQLITE_OK) fail(raw, fmt::format("opening {}", path));
  // A bounded wait for the other process's write (daemon and cobradorctl share the file);
  // past it the caller gets a clear "database is locked" (StoreBusy) instead of hanging.
  sqlite3_busy_handler(raw, &Database::on_busy, this);
  // Pages of 16 KiB for a new book (an existing one keeps its own): most of what cobrador
  // writes are rows appended at the end of audit, payments and bank entries, and bigger pages
  // write and checkpoint them in a quarter of the calls. A bank import of 100,000 entries took
  // a fifth less than with 4 KiB pages; the walk no more (docs/benchmarks.md). Only said before
  // the file has a page: WAL mode writes the first one.
  exec("PRAGMA page_size = 16384");
  exec("PRAGMA journal_mode = WAL");
  exec("PRAGMA synchronous = NORMAL");
  exec("PRAGMA foreign_keys = ON");
  // Statement journals in memory: an upsert (INSERT ... ON CONFLICT DO UPDATE) keeps one to
  // undo just itself, and in a temporary file that cost a write system call per statement
  // once it passed 64 KiB; an import of invoices wrote half as fast (docs/benchmarks.md).
  exec("PRAGMA temp_store = MEMORY");
  // 16 MiB of page cache: a walk touches customers all over the file, and the default 2 MiB
  // turns that into a read system call per page. Well inside the daemon's memory budget.
  exec("PRAGMA cache_size = -16384");
  // Checkpoint every ~40 MiB of WAL instead of every 4 MiB: each checkpoint ends in an
  // fdatasync, and a busy walk writing tens of MiB paid for a dozen of them. Counted in pages,
  // whatever size the book's are.
  constexpr std::int64_t kCheckpointBytes = 40 << 20;
  exec(fmt::format("PRAGMA wal_autocheckpoint = {}", kCheckpointBytes / page_size()));
}

std::int64_t Database::page_size() {
  auto& stmt = prepare("PRAGMA page_size");
  const std::int64_t size = stmt.step() ? stmt.int64(0) : 4096;
  stmt.reset();
  return size;
}

void Database::exec(std::string_view sql) {
  char* message = nullptr;
  const int rc = sqlite3_exec(db_.get(), std::string(sql).c_str(), nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    const std::string text = message ? message : "unknown error";
    sqlite3_free(message);
    const auto error = fmt::format("sqlite: running `{}`: {}", sql.substr(0, 80), text);
    if (is_busy(rc)) throw StoreBusy(error);
    throw StoreError(error);
  }
}

int Database::on_busy(void* self, int tries) {
  auto& db = *static_cast<Database*>(self);
  const auto now = std::chrono::steady_clock::now();
  if (tries == 0) db.busy_since_ = now;
  if (now - db.busy_since_ >= db.busy_wait_) return 0;
  std::this_thread::sleep_for(std::chrono::milliseconds{1});
  return 1;
}

std::optional<std::int64_t> Database::inserted_id(sql::Statement& insert) {
  insert.run();
  if (changes() == 0) return std::nullopt;
  return last_insert_rowid();
}

Statement& Database::prepare(std::string_view sql) {
  if (const auto found = statements_.find(sql); found != statements_.end()) return *found->second;
  return *statements_.emplace(std::string(sql), std::make_unique<Statement>(db_.get(), sql)).first->second;
}

}  // namespace cobrador::store
