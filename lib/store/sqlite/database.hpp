// A thin RAII layer over the SQLite C API: one connection, prepared statements cached by
// their SQL text, errors as exceptions carrying sqlite3_errmsg and what was being done.
// It is one of the two connections the store runs on (store/sql/connection.hpp).
#pragma once

#include <cstdint>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include <sqlite3.h>

#include "store/sql/connection.hpp"

namespace cobrador::store {

class Statement final : public sql::Statement {
 public:
  Statement(sqlite3* db, std::string_view sql);

  bool step() override;
  void run() override;
  void reset() override;

  std::int64_t int64(int column) const override { return sqlite3_column_int64(stmt_.get(), column); }
  std::string text(int column) const override;
  bool is_null(int column) const override { return sqlite3_column_type(stmt_.get(), column) == SQLITE_NULL; }

 protected:
  void bind_int64(int index, std::int64_t value) override;
  void bind_text(int index, std::string_view value) override;
  void bind_nothing(int index) override;

 private:
  std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)> stmt_;
  sqlite3* db_;
  bool dirty_ = false;  // stepped since the last reset
};

class Database final : public sql::Connection {
 public:
  // Opens (creating if needed) with WAL, foreign keys on and a bounded busy timeout.
  explicit Database(const std::string& path);

  sql::Dialect dialect() const override { return sql::Dialect::sqlite; }
  void exec(std::string_view sql) override;
  Statement& prepare(std::string_view sql) override;
  bool in_transaction() const override { return !sqlite3_get_autocommit(db_.get()); }
  std::int64_t changes() const override { return sqlite3_changes(db_.get()); }
  std::int64_t last_insert_rowid() const { return sqlite3_last_insert_rowid(db_.get()); }
  std::optional<std::int64_t> inserted_id(sql::Statement& insert) override;
  sqlite3* handle() const { return db_.get(); }
  const std::string& path() const { return path_; }
  std::int64_t page_size();

  // How long a statement waits for another connection's write lock before StoreBusy.
  void set_busy_wait(std::chrono::milliseconds wait) { busy_wait_ = wait; }
  static constexpr std::chrono::milliseconds kBusyWait{10000};

 private:
  // SQLite's own busy_timeout sleeps up to 100 ms between tries: a writer that pauses between
  // chunks for less (cobradorctl import) would never be caught in its pause. This one looks
  // every millisecond.
  static int on_busy(void* self, int tries);

  std::string path_;
  std::chrono::milliseconds busy_wait_ = kBusyWait;
  std::chrono::steady_clock::time_point busy_since_;
  std::unique_ptr<sqlite3, decltype(&sqlite3_close_v2)> db_;
  sql::StatementsBySql<Statement> statements_;
};

}  // namespace cobrador::store
