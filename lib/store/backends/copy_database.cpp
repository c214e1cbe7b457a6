// Implements the SQLite → PostgreSQL copy: the tables and columns are read from the SQLite
// file itself (sqlite_master, PRAGMA table_info, PRAGMA foreign_key_list), so a later
// migration needs no change here; rows travel through COPY FROM STDIN, PostgreSQL's fastest
// way in, in batches of about a megabyte.
#include "store/backends/copy_database.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <set>

#include <fmt/format.h>

#include "store/postgres/migrations.hpp"
#include "store/sqlite/migrations.hpp"

namespace cobrador::store {

namespace {

using PgResult = std::unique_ptr<PGresult, decltype(&PQclear)>;
constexpr std::size_t kBatchBytes = 1 << 20;

std::string identifier(std::string_view name) { return fmt::format("\"{}\"", name); }

std::string column_list(const std::vector<std::string>& columns) {
  std::string out;
  for (const auto& c : columns) out += (out.empty() ? "" : ", ") + identifier(c);
  return out;
}

std::string pg_message(PGconn* conn, const PGresult* result) {
  std::string text = result ? PQresultErrorMessage(result) : PQerrorMessage(conn);
  if (text.empty()) text = PQerrorMessage(conn);
  std::replace(text.begin(), text.end(), '\n', ' ');
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return text;
}

std::vector<std::string> sqlite_strings(Database& db, const std::string& sql) {
  std::vector<std::string> out;
  auto& stmt = db.prepare(sql);
  while (stmt.step()) out.push_back(stmt.text(0));
  stmt.reset();
  return out;
}

std::int64_t sqlite_count(Database& db, const std::string& table) {
  auto& stmt = db.prepare("SELECT COUNT(*) FROM " + identifier(table));
  stmt.step();
  const auto n = stmt.int64(0);
  stmt.reset();
  return n;
}

std::int64_t pg_count(postgres::Connection& db, const std::string& table) {
  auto& stmt = db.prepare("SELECT COUNT(*) FROM " + identifier(table));
  stmt.step();
  const auto n = stmt.int64(0);
  stmt.reset();
  return n;
}

// Every table of the file, parents before children, so that each row's foreign keys point at
// rows already copied. The customer search's full-text index (a virtual table, its shadow tables
// and the list of customers it has still to read) is SQLite's own: PostgreSQL has its indexes.
std::vector<std::string> tables_in_copy_order(Database& source) {
  auto pending = sqlite_strings(
      source,
      "SELECT t.name FROM sqlite_master m JOIN pragma_table_list t ON t.name = m.name AND t.schema = 'main' "
      "WHERE t.type = 'table' AND t.name NOT LIKE 'sqlite_%' AND t.name <> 'customers_search_pending' "
      "ORDER BY m.rowid");
  std::vector<std::string> ordered;
  while (!pending.empty()) {
    const auto ready = std::find_if(pending.begin(), pending.end(), [&](const std::string& table) {
      for (const auto& parent :
           sqlite_strings(source, "SELECT \"table\" FROM pragma_foreign_key_list('" + table + "')")) {
        if (parent != table && std::find(ordered.begin(), ordered.end(), parent) == ordered.end())
          return false;
      }
      return true;
    });
    if (ready == pending.end()) {
      throw StoreError(
          fmt::format("the foreign keys of {} form a cycle: no order to copy them in", pending.front()));
    }
    ordered.push_back(*ready);
    pending.erase(ready);
  }
  return ordered;
}

// Both sides at the same version hold the same tables; anything else means a table would be
// left behind, and the copy stops before writing.
void check_same_tables(postgres::Connection& target, const std::vector<std::string>& tables) {
  std::set<std::string> theirs;
  auto& stmt = target.prepare(
      "SELECT table_name FROM information_schema.tables "
      "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> "
      "'cobrador_schema'");
  while (stmt.step()) theirs.insert(stmt.text(0));
  stmt.reset();
  const std::set<std::string> ours(tables.begin(), tables.end());
  std::string differ;
  for (const auto& t : ours) differ += theirs.contains(t) ? "" : " " + t + " (SQLite only)";
  for (const auto& t : theirs) differ += ours.contains(t) ? "" : " " + t + " (PostgreSQL only)";
  if (!differ.empty())
    throw StoreError("the two schemas differ at the same version, nothing copied:" + differ);
}

void refuse_non_empty(postgres::Connection& target, const std::vector<std::string>& tables) {
  for (const auto& table : tables) {
    auto& stmt = target.prepare(fmt::format("SELECT EXISTS (SELECT 1 FROM {})", identifier(table)));
    stmt.step();
    const bool has_rows = stmt.int64(0) != 0;
    stmt.reset();
    if (has_rows) {
      throw StoreError(fmt::format(
          "the target database is not empty: table {} has rows; db copy fills only an empty database",
          table));
    }
  }
}

// COPY's text format: NULL is \N; a backslash, tab, newline or carriage return is escaped.
void append_field(std::string& line, const Statement& row, int column) {
  if (row.is_null(column)) {
    line += "\\N";
    return;
  }
  for (const char c : row.text(column)) {
    switch (c) {
      case '\\':
        line += "\\\\";
        break;
      case '\t':
        line += "\\t";
        break;
      case '\n':
        line += "\\n";
        break;
      case '\r':
        line += "\\r";
        break;
      default:
        line += c;
    }
  }
}

void put(PGconn* conn, std::string& batch, const std::string& table) {
  if (batch.empty()) return;
  if (PQputCopyData(conn, batch.data(), static_cast<int>(batch.size())) != 1) {
    throw StoreError(fmt::format("copying table {}: {}", table, pg_message(conn, nullptr)));
  }
  batch.clear();
}

// The query that reads a table for COPY. describe_row runs it again, so both scan alike.
std::string select_all(const std::string& table, const std::vector<std::string>& columns) {
  return fmt::format("SELECT {} FROM {}", column_list(columns), identifier(table));
}

// Which row of the file COPY's line N was: the same query in the same snapshot, N-th row,
// named by its first column (the id, or the first part of the key).
std::string describe_row(Database& source, const std::string& table, const std::vector<std::string>& columns,
                         const char* context) {
  const std::string text = context ? context : "";
  const auto at = text.find(", line ");
  if (at == std::string::npos) return "";
  const long line = std::strtol(text.c_str() + at + 7, nullptr, 10);
  if (line < 1) return "";
  auto& stmt = source.prepare(select_all(table, columns) + " LIMIT 1 OFFSET ?");
  stmt.bind(1, static_cast<std::int64_t>(line - 1));
  std::string which = fmt::format(", row {}", line);
  if (stmt.step()) which += fmt::format(" ({} {})", columns.front(), stmt.text(0));
  stmt.reset();
  return which;
}

// Ends the COPY and reads its outcome; every result must be read before the next command.
void finish_copy(PGconn* conn, Database& source, const std::string& table,
                 const std::vector<std::string>& columns) {
  if (PQputCopyEnd(conn, nullptr) != 1) {
    throw StoreError(fmt::format("copying table {}: {}", table, pg_message(conn, nullptr)));
  }
  std::string failure;
  while (PGresult* raw = PQgetResult(conn)) {
    const PgResult result(raw, &PQclear);
    if (PQresultStatus(raw) == PGRES_COMMAND_OK || !failure.empty()) continue;
    failure = fmt::format("copying table {}{}: {}", table,
                          describe_row(source, table, columns, PQresultErrorField(raw, PG_DIAG_CONTEXT)),
                          pg_message(conn, raw));
  }
  if (!failure.empty()) throw StoreError(failure);
}

// The rows copied of the file's rows, for the progress line; counted only when heard.
struct CopyProgress {
  const Progress& progress;
  std::uint64_t done = 0;
  std::uint64_t total = 0;
  void add(std::uint64_t rows) {
    done += rows;
    if (progress) progress(done, total);
  }
};

std::int64_t send_rows(Database& source, PGconn* conn, const std::string& table,
                       const std::vector<std::string>& columns, CopyProgress& copied) {
  auto& rows = source.prepare(select_all(table, columns));
  std::string batch;
  std::int64_t sent = 0;
  std::int64_t reported = 0;  // of `sent`, to the progress
  const auto report = [&] {
    copied.add(static_cast<std::uint64_t>(sent - reported));
    reported = sent;
  };
  while (rows.step()) {
    for (int c = 0; c < static_cast<int>(columns.size()); ++c) {
      if (c > 0) batch += '\t';
      append_field(batch, rows, c);
    }
    batch += '\n';
    ++sent;
    if (batch.size() >= kBatchBytes) {
      put(conn, batch, table);
      report();
    }
  }
  rows.reset();
  put(conn, batch, table);
  report();
  return sent;
}

std::int64_t copy_table(Database& source, postgres::Connection& target, const std::string& table,
                        CopyProgress& copied) {
  const auto columns =
      sqlite_strings(source, "SELECT name FROM pragma_table_info('" + table + "') ORDER BY cid");
  PGconn* conn = target.handle();
  const PgResult started(
      PQexec(conn, fmt::format("COPY {} ({}) FROM STDIN", identifier(table), column_list(columns)).c_str()),
      &PQclear);
  if (PQresultStatus(started.get()) != PGRES_COPY_IN) {
    throw StoreError(fmt::format("copying table {}: {}", table, pg_message(conn, started.get())));
  }
  std::int64_t sent = 0;
  try {
    sent = send_rows(source, conn, table, columns, copied);
  } catch (...) {
    // Reading the file failed midway: end the COPY as failed, so the connection can roll back.
    PQputCopyEnd(conn, "the copy stopped on the SQLite side");
    while (PGresult* result = PQgetResult(conn)) PQclear(result);
    throw;
  }
  finish_copy(conn, source, table, columns);
  return sent;
}

// Rows came with their ids: each identity sequence must continue after the highest.
void reset_sequences(postgres::Connection& target, const std::string& table) {
  std::vector<std::string> identities;
  auto& stmt = target.prepare(
      "SELECT attname FROM pg_attribute WHERE attrelid = to_regclass(?) AND attidentity <> '' AND NOT "
      "attisdropped");
  stmt.bind(1, identifier(table));
  while (stmt.step()) identities.push_back(stmt.text(0));
  stmt.reset();
  for (const auto& column : identities) {
    target.exec(
        fmt::format("SELECT setval(pg_get_serial_sequence('{0}', '{1}'), COALESCE(MAX({2}), 0) + 1, false) "
                    "FROM {3}",
                    identifier(table), column, identifier(column), identifier(table)));
  }
}

void verify_counts(Database& source, postgres::Connection& target, const CopiedTable& copied) {
  const auto in_file = sqlite_count(source, copied.name);
  const auto in_target = pg_count(target, copied.name);
  if (in_file != copied.rows || in_target != copied.rows) {
    throw StoreError(fmt::format("table {}: {} rows in SQLite, {} sent, {} in PostgreSQL; nothing copied",
                                 copied.name, in_file, copied.rows, in_target));
  }
}

// Everything between BEGIN and COMMIT on the target, inside one read snapshot of the file.
CopyReport copy_all(Database& source, postgres::Connection& target, const Progress& progress) {
  const auto tables = tables_in_copy_order(source);
  check_same_tables(target, tables);
  std::string names;
  for (const auto& t : tables) names += (names.empty() ? "" : ", ") + identifier(t);
  // Nobody else writes these tables until the copy commits (a daemon started too early).
  target.exec("LOCK TABLE " + names + " IN EXCLUSIVE MODE");
  refuse_non_empty(target, tables);
  CopyProgress copied{progress};
  if (progress) {
    for (const auto& table : tables) copied.total += static_cast<std::uint64_t>(sqlite_count(source, table));
  }
  CopyReport report;
  for (const auto& table : tables)
    report.tables.push_back({table, copy_table(source, target, table, copied)});
  for (const auto& table : tables) reset_sequences(target, table);
  for (const auto& copied : report.tables) verify_counts(source, target, copied);
  return report;
}

void quietly(const auto& work) {
  try {
    work();
  } catch (const StoreError&) {
    // Already failing: the first error is the one to report.
  }
}

}  // namespace

std::int64_t CopyReport::total_rows() const {
  std::int64_t total = 0;
  for (const auto& t : tables) total += t.rows;
  return total;
}

Result<CopyReport> copy_sqlite_to_postgresql(const std::string& sqlite_path,
                                             const postgres::ConnectionOptions& target,
                                             const Progress& progress) {
  if (!std::filesystem::is_regular_file(sqlite_path)) {
    return make_error(fmt::format("{}: no such SQLite database", sqlite_path));
  }
  try {
    Database source(sqlite_path);
    sqlite::migrate(source);
    auto options = target;
    if (options.application_name.empty()) options.application_name = "cobradorctl db copy";
    postgres::Connection destination(options);
    postgres::migrate(destination);
    source.exec("BEGIN");  // one snapshot: a daemon writing the file meanwhile cannot skew the counts
    destination.exec("BEGIN");
    try {
      auto report = copy_all(source, destination, progress);
      destination.exec("COMMIT");
      source.exec("COMMIT");
      // Fresh tables have no statistics: without them the planner guesses, and the first
      // walk on the new database would scan where it should use an index.
      destination.exec("ANALYZE");
      return report;
    } catch (...) {
      quietly([&] { destination.exec("ROLLBACK"); });
      quietly([&] { source.exec("ROLLBACK"); });
      throw;
    }
  } catch (const StoreError& e) {
    return make_error(e.what());
  }
}

}  // namespace cobrador::store
