// A thin RAII layer over the SQLite C API: one connection, prepared statements cached by
// their SQL text, errors as exceptions carrying sqlite3_errmsg and what was being done.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>

#include <sqlite3.h>

namespace cobrador::store {

// The database failed (disk full, corrupt file, constraint broken by a bug): not bad input.
class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql);

  // Binds by 1-based position. Reset happens automatically before the first bind of a run.
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
  Statement& bind(int index, std::string_view value);
  Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
  Statement& bind(int index, const std::string& value) { return bind(index, std::string_view(value)); }
  Statement& bind_null(int index);
  template <class T>
  Statement& bind(int index, const std::optional<T>& value) {
    return value ? bind(index, *value) : bind_null(index);
  }

  // Steps once: true while there is a row to read.
  bool step();
  // Runs a statement that returns no rows.
  void run();
  void reset();

  std::int64_t int64(int column) const { return sqlite3_column_int64(stmt_.get(), column); }
  std::string text(int column) const;
  bool is_null(int column) const { return sqlite3_column_type(stmt_.get(), column) == SQLITE_NULL; }
  std::optional<std::int64_t> optional_int64(int column) const;

 private:
  std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)> stmt_;
  sqlite3* db_;
  bool dirty_ = false;  // stepped since the last reset
};

class Database {
 public:
  // Opens (creating if needed) with WAL, foreign keys on and a bounded busy timeout.
  explicit Database(const std::string& path);

  void exec(std::string_view sql);
  // A prepared statement kept for the life of the connection.
  Statement& prepare(std::string_view sql);
  std::int64_t last_insert_rowid() const { return sqlite3_last_insert_rowid(db_.get()); }
  int changes() const { return sqlite3_changes(db_.get()); }
  sqlite3* handle() const { return db_.get(); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::unique_ptr<sqlite3, decltype(&sqlite3_close_v2)> db_;
  std::unordered_map<std::string, std::unique_ptr<Statement>> statements_;
};

}  // namespace cobrador::store
