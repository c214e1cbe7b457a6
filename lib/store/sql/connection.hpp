// What the one store implementation (SqlStore) needs from a database connection, whichever
// database it is: SQLite (store/sql/connection.hpp) or PostgreSQL (store/postgres/connection.hpp).
// Statements are prepared once per connection and kept by their SQL text; binds go by 1-based
// position; rows are read column by column. Queries are written once in SQL both databases
// accept; the few places where the dialects differ ask dialect().
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>

#include "store/store_error.hpp"

namespace cobrador::store {

namespace sql {

enum class Dialect { sqlite, postgresql };

// The SQL text that differs: `sqlite` for SQLite, `postgresql` for PostgreSQL.
inline std::string_view pick(Dialect dialect, std::string_view sqlite, std::string_view postgresql) {
  return dialect == Dialect::postgresql ? postgresql : sqlite;
}

class Statement {
 public:
  virtual ~Statement() = default;

  // Binds by 1-based position. The first bind after a run starts the binds over.
  Statement& bind(int index, std::int64_t value) {
    bind_int64(index, value);
    return *this;
  }
  Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
  Statement& bind(int index, std::string_view value) {
    bind_text(index, value);
    return *this;
  }
  Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
  Statement& bind(int index, const std::string& value) { return bind(index, std::string_view(value)); }
  Statement& bind_null(int index) {
    bind_nothing(index);
    return *this;
  }
  template <class T>
  Statement& bind(int index, const std::optional<T>& value) {
    return value ? bind(index, *value) : bind_null(index);
  }
  // Binds every `?` in order, the first value to 1: a statement's values read as one list
  // beside its SQL instead of a numbered bind per line whose numbers must be kept in step.
  template <class... Values>
  Statement& bind_all(const Values&... values) {
    [[maybe_unused]] int index = 0;
    (bind(++index, values), ...);
    return *this;
  }

  // Steps once: true while there is a row to read.
  virtual bool step() = 0;
  // Runs a statement and drops any rows; the connection's changes() then tells how many rows
  // it changed.
  virtual void run() = 0;
  virtual void reset() = 0;

  virtual std::int64_t int64(int column) const = 0;  // NULL reads as 0
  virtual std::string text(int column) const = 0;    // NULL reads as ""
  virtual bool is_null(int column) const = 0;
  std::optional<std::int64_t> optional_int64(int column) const {
    if (is_null(column)) return std::nullopt;
    return int64(column);
  }

 protected:
  virtual void bind_int64(int index, std::int64_t value) = 0;
  virtual void bind_text(int index, std::string_view value) = 0;
  virtual void bind_nothing(int index) = 0;
};

class Connection {
 public:
  virtual ~Connection() = default;
  virtual Dialect dialect() const = 0;
  // Runs one or more statements with no parameters (schema, BEGIN, COMMIT...).
  virtual void exec(std::string_view sql) = 0;
  // A statement prepared once and kept for the life of the connection.
  virtual Statement& prepare(std::string_view sql) = 0;
  virtual bool in_transaction() const = 0;
  // Rows changed by the statement this connection ran last.
  virtual std::int64_t changes() const = 0;
  // Runs an INSERT whose SQL ends with returning_id(): the new row's id, or nothing when the
  // statement wrote no row (ON CONFLICT DO NOTHING met a row that was there).
  virtual std::optional<std::int64_t> inserted_id(Statement& insert) = 0;
  // What ends such an INSERT: " RETURNING id" on PostgreSQL, nothing on SQLite, which knows
  // the row it inserted last and would otherwise build a temporary table for every execution
  // (a fifth of a bank import's time, measured).
  std::string_view returning_id() const { return pick("", " RETURNING id"); }

  bool is_postgresql() const { return dialect() == Dialect::postgresql; }
  std::string_view pick(std::string_view sqlite, std::string_view postgresql) const {
    return sql::pick(dialect(), sqlite, postgresql);
  }
};

// A connection's prepared statements by their SQL text, found by a view of it: the hot paths
// (a bank import's four statements per entry) look theirs up without copying the text.
struct SqlTextHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view sql) const { return std::hash<std::string_view>{}(sql); }
};
template <class S>
using StatementsBySql = std::unordered_map<std::string, std::unique_ptr<S>, SqlTextHash, std::equal_to<>>;

// Runs an INSERT … RETURNING id (both databases have RETURNING): the row's id, or nothing when
// the statement wrote no row (ON CONFLICT DO NOTHING met a row that was there).
inline std::optional<std::int64_t> returned_id(Statement& stmt) {
  if (!stmt.step()) return std::nullopt;
  const auto id = stmt.int64(0);
  stmt.reset();
  return id;
}

}  // namespace sql
}  // namespace cobrador::store
