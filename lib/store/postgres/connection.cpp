// Implements the RAII libpq connection and its prepared statements.
#include "store/postgres/connection.hpp"

#include <charconv>

#include <fmt/format.h>

namespace cobrador::store::postgres {

namespace {

using Result = std::unique_ptr<PGresult, decltype(&PQclear)>;

std::string first_line(const char* message) {
  std::string text = message ? message : "unknown error";
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

[[noreturn]] void fail(PGconn* conn, const PGresult* result, std::string_view doing) {
  const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  const char* message = result ? PQresultErrorMessage(result) : PQerrorMessage(conn);
  throw PgError(fmt::format("postgresql: {}: {}", doing, first_line(message)), state ? state : "");
}

// A command succeeded when it returned rows or completed; anything else carries an error.
void check(PGconn* conn, const PGresult* result, std::string_view doing) {
  const auto status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail(conn, result, doing);
}

}  // namespace

std::string numbered_parameters(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int next = 1;
  char quote = 0;  // the quote character we are inside, if any
  for (std::size_t i = 0; i < sql.size(); ++i) {
    const char c = sql[i];
    if (quote) {
      out += c;
      if (c == quote) quote = 0;  // a doubled quote closes and reopens: same result
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
      out += c;
      continue;
    }
    if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {  // a comment runs to the line's end
      const auto end = sql.find('\n', i);
      const auto stop = end == std::string_view::npos ? sql.size() : end;
      out.append(sql.substr(i, stop - i));
      i = stop - 1;
      continue;
    }
    if (c != '?') {
      out += c;
      continue;
    }
    std::size_t digits = i + 1;
    while (digits < sql.size() && sql[digits] >= '0' && sql[digits] <= '9') ++digits;
    if (digits > i + 1) {
      out += '$';
      out.append(sql.substr(i + 1, digits - i - 1));
      i = digits - 1;
    } else {
      out += fmt::format("${}", next++);
    }
  }
  return out;
}

Statement::Statement(PGconn* conn, std::string name, std::string sql, std::int64_t& connection_changes)
    : conn_(conn),
      name_(std::move(name)),
      sql_(std::move(sql)),
      result_(nullptr, &PQclear),
      connection_changes_(connection_changes) {
  const Result prepared(PQprepare(conn_, name_.c_str(), sql_.c_str(), 0, nullptr), &PQclear);
  check(conn_, prepared.get(), fmt::format("preparing `{}`", sql_));
}

void Statement::reset() {
  result_.reset();
  row_ = -1;
  params_.clear();
  dirty_ = false;
}

void Statement::bind_int64(int index, std::int64_t value) {
  if (dirty_) reset();
  if (static_cast<std::size_t>(index) > params_.size()) params_.resize(index);
  params_[index - 1] = std::to_string(value);
}

void Statement::bind_text(int index, std::string_view value) {
  if (dirty_) reset();
  if (static_cast<std::size_t>(index) > params_.size()) params_.resize(index);
  params_[index - 1] = std::string(value);
}

void Statement::bind_nothing(int index) {
  if (dirty_) reset();
  if (static_cast<std::size_t>(index) > params_.size()) params_.resize(index);
  params_[index - 1].reset();
}

void Statement::execute() {
  std::vector<const char*> values;
  values.reserve(params_.size());
  for (const auto& param : params_) values.push_back(param ? param->c_str() : nullptr);
  result_.reset(PQexecPrepared(conn_, name_.c_str(), static_cast<int>(values.size()), values.data(), nullptr,
                               nullptr, 0));
  if (!result_ || (PQresultStatus(result_.get()) != PGRES_COMMAND_OK &&
                   PQresultStatus(result_.get()) != PGRES_TUPLES_OK)) {
    Result failed(result_.release(), &PQclear);
    reset();
    fail(conn_, failed.get(), fmt::format("running `{}`", sql_));
  }
  const char* tuples = PQcmdTuples(result_.get());
  connection_changes_ = 0;
  if (tuples && *tuples) {
    std::from_chars(tuples, tuples + std::char_traits<char>::length(tuples), connection_changes_);
  }
  row_ = -1;
}

bool Statement::step() {
  if (!dirty_ || !result_) {
    dirty_ = true;
    execute();
  }
  ++row_;
  if (row_ < PQntuples(result_.get())) return true;
  // Binds survive a finished run in neither store: the next bind starts over.
  result_.reset();
  return false;
}

void Statement::run() {
  dirty_ = true;
  execute();
  reset();
}

bool Statement::is_null(int column) const { return PQgetisnull(result_.get(), row_, column) != 0; }

std::int64_t Statement::int64(int column) const {
  if (is_null(column)) return 0;  // as sqlite3_column_int64 reads NULL
  const char* text = PQgetvalue(result_.get(), row_, column);
  const auto length = PQgetlength(result_.get(), row_, column);
  std::int64_t value = 0;
  if (length == 1 && (*text == 't' || *text == 'f')) return *text == 't';  // a boolean column
  const auto [end, ec] = std::from_chars(text, text + length, value);
  if (ec != std::errc() || end != text + length) {
    throw StoreError(fmt::format("postgresql: column {} of `{}` is not an integer: '{}'", column, sql_,
                                 std::string_view(text, length)));
  }
  return value;
}

std::string Statement::text(int column) const {
  if (is_null(column)) return {};
  return std::string(PQgetvalue(result_.get(), row_, column), PQgetlength(result_.get(), row_, column));
}

Connection::Connection(const ConnectionOptions& options) : options_(options), conn_(nullptr, &PQfinish) {
  // The URI goes in as `dbname` with expansion on; the password and the name are separate
  // keywords, so the secret is never part of a string we might print.
  const char* keys[] = {"dbname", "password", "application_name", "client_encoding", nullptr};
  const char* values[] = {
      options_.uri.c_str(), options_.password.empty() ? nullptr : options_.password.c_str(),
      options_.application_name.empty() ? "cobrador" : options_.application_name.c_str(), "UTF8", nullptr};
  conn_.reset(PQconnectdbParams(keys, values, 1));
  if (!conn_ || PQstatus(conn_.get()) != CONNECTION_OK) {
    // libpq's message names host and user, never the password.
    throw StoreError(fmt::format("postgresql: connecting: {}", first_line(PQerrorMessage(conn_.get()))));
  }
  // Statements run in UTC, and never wait forever on a lock another daemon holds.
  exec("SET TIME ZONE 'UTC'; SET lock_timeout = '30s'; SET client_min_messages = warning");
}

void Connection::exec(std::string_view sql) {
  const Result result(PQexec(conn_.get(), std::string(sql).c_str()), &PQclear);
  check(conn_.get(), result.get(), fmt::format("running `{}`", sql.substr(0, 80)));
}

Statement& Connection::prepare(std::string_view sql) {
  if (const auto found = statements_.find(sql); found != statements_.end()) return *found->second;
  // Named by how many come before it: s1, s2...
  auto statement = std::make_unique<Statement>(conn_.get(), fmt::format("s{}", statements_.size() + 1),
                                               numbered_parameters(sql), changes_);
  return *statements_.emplace(std::string(sql), std::move(statement)).first->second;
}

}  // namespace cobrador::store::postgres
