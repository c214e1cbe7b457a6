// A thin RAII layer over libpq, shaped like the SQLite one (store/sqlite/database.hpp) so that
// the two stores read alike: one connection, statements prepared once and kept by their SQL
// text, binds by 1-based position, rows read column by column, errors as StoreError.
//
// SQL may use `?`, `?N` or `$N` for parameters; `?` and `?N` are rewritten to `$N` when the
// statement is prepared, so that a query both dialects accept can be written once.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <libpq-fe.h>

#include "store/sql/connection.hpp"

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
  PgError(const std::string& message, std::string sqlstate)
      : StoreError(message), sqlstate_(std::move(sqlstate)) {}
  const std::string& sqlstate() const { return sqlstate_; }

 private:
  std::string sqlstate_;
};

class Statement final : public sql::Statement {
 public:
  Statement(PGconn* conn, std::string name, std::string sql, std::int64_t& connection_changes);

  // The first step runs the statement with its binds (the whole result comes at once); each
  // step moves to the next row. After the last row the result is dropped.
  bool step() override;
  void run() override;
  void reset() override;

  int column_count() const { return result_ ? PQnfields(result_.get()) : 0; }
  std::int64_t int64(int column) const override;
  std::string text(int column) const override;
  bool is_null(int column) const override;

 protected:
  void bind_int64(int index, std::int64_t value) override;
  void bind_text(int index, std::string_view value) override;
  void bind_nothing(int index) override;

 private:
  void execute();

  PGconn* conn_;
  std::string name_;
  std::string sql_;
  std::vector<std::optional<std::string>> params_;
  std::unique_ptr<PGresult, decltype(&PQclear)> result_;
  int row_ = -1;  // the current row; -1 before the first step
  bool dirty_ = false;
  std::int64_t& connection_changes_;
};

class Connection final : public sql::Connection {
 public:
  explicit Connection(const ConnectionOptions& options);

  sql::Dialect dialect() const override { return sql::Dialect::postgresql; }
  void exec(std::string_view sql) override;
  Statement& prepare(std::string_view sql) override;
  bool in_transaction() const override { return PQtransactionStatus(conn_.get()) != PQTRANS_IDLE; }
  std::int64_t changes() const override { return changes_; }
  std::optional<std::int64_t> inserted_id(sql::Statement& insert) override {
    return sql::returned_id(insert);
  }
  PGconn* handle() const { return conn_.get(); }
  const ConnectionOptions& options() const { return options_; }

 private:
  ConnectionOptions options_;
  std::unique_ptr<PGconn, decltype(&PQfinish)> conn_;
  sql::StatementsBySql<Statement> statements_;
  std::int64_t changes_ = 0;  // written by the statements, read by changes()
};

// `?` → `$1, $2...` and `?N` → `$N`, outside quoted strings and identifiers.
std::string numbered_parameters(std::string_view sql);

}  // namespace cobrador::store::postgres
