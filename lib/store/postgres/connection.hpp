// A thin RAII layer over libpq, shaped like the SQLite one (store/sqlite/database.hpp) so that
// the two stores read alike: one connection, statements prepared once and kept by their SQL
// text, binds by 1-based position, rows read column by column, errors as StoreError.
//
// SQL may use `?`, `?N` or `$N` for parameters; `?` and `?N` are rewritten to `$N` when the
// statement is prepared, so that a query both dialects accept can be written once.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <libpq-fe.h>

#include "store/sqlite/database.hpp"  // StoreError

namespace cobrador::store::postgres {

using store::StoreError;

// Where to connect. The password never travels inside the URI (SPEC: secrets come from files).
struct ConnectionOptions {
  std::string uri;               // postgresql://user@host:port/db?options
  std::string password;          // from database_password_file; empty for peer/trust auth
  std::string application_name;  // shows in pg_stat_activity: which daemon holds what
};

// The SQLSTATE of a failed statement travels with the error, for the few callers that must
// tell a serialization failure or a lock timeout from a bug.
class PgError : public StoreError {
 public:
  PgError(const std::string& message, std::string sqlstate) : StoreError(message), sqlstate_(std::move(sqlstate)) {}
  const std::string& sqlstate() const { return sqlstate_; }

 private:
  std::string sqlstate_;
};

class Statement {
 public:
  Statement(PGconn* conn, std::string name, std::string sql);

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

  // The first step runs the statement with its binds; each step moves to the next row and
  // says whether there is one. After the last row the result is dropped.
  bool step();
  // Runs a statement and drops its rows; affected() tells how many rows it changed.
  void run();
  void reset();
  std::int64_t affected() const { return affected_; }

  std::int64_t int64(int column) const;
  std::string text(int column) const;
  bool is_null(int column) const;
  std::optional<std::int64_t> optional_int64(int column) const;

 private:
  void execute();

  PGconn* conn_;
  std::string name_;
  std::string sql_;
  std::vector<std::optional<std::string>> params_;
  std::unique_ptr<PGresult, decltype(&PQclear)> result_;
  int row_ = -1;  // the current row; -1 before the first step
  bool dirty_ = false;
  std::int64_t affected_ = 0;
};

class Connection {
 public:
  explicit Connection(const ConnectionOptions& options);

  // Runs one or more statements with no parameters (schema, BEGIN, COMMIT...).
  void exec(std::string_view sql);
  Statement& prepare(std::string_view sql);
  PGconn* handle() const { return conn_.get(); }
  const ConnectionOptions& options() const { return options_; }

 private:
  ConnectionOptions options_;
  std::unique_ptr<PGconn, decltype(&PQfinish)> conn_;
  std::unordered_map<std::string, std::unique_ptr<Statement>> statements_;
};

// `?` → `$1, $2...` and `?N` → `$N`, outside quoted strings and identifiers.
std::string numbered_parameters(std::string_view sql);

// True for the database strings this backend takes: postgresql://… or postgres://….
bool is_postgresql_uri(std::string_view database);

}  // namespace cobrador::store::postgres
