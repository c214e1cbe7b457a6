// Implements the per-test databases: SQLite paths, or databases made in the PostgreSQL test
// cluster through one admin connection, and one-statement queries on either.
#include "support/test_database.hpp"

#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <stdexcept>

#include <fmt/format.h>
#include <sqlite3.h>

#include "config/database_uri.hpp"
#include "store/postgres/connection.hpp"
#include "support/process.hpp"

namespace cobrador::testing {

namespace {

// A socket folder inside a URI's query: anything but the plainest characters is escaped.
std::string percent_encoded(std::string_view text) {
  std::string out;
  for (const unsigned char c : text) {
    if (std::isalnum(c) || c == '/' || c == '_' || c == '-' || c == '.') {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

// The PostgreSQL names allow 63 bytes; keep the caller's hint readable but safe.
std::string sanitised(std::string_view name) {
  std::string out;
  for (const unsigned char c : name.substr(0, 32))
    out += std::isalnum(c) ? static_cast<char>(std::tolower(c)) : '_';
  return out;
}

std::string pg_cluster_script() { return std::string(COBRADOR_SOURCE_DIR) + "/tests/support/pg_cluster.sh"; }

// The cluster this process makes its databases in. The ctest run shares one (its socket
// folder in $COBRADOR_TEST_PG_HOST); a run by hand gets a private one, removed at exit. Every
// database made here is dropped at exit, so that a long run does not fill the disk
// (each new database is a copy of template1, about 7 MB).
class Cluster {
 public:
  static Cluster& instance() {
    static Cluster cluster;
    return cluster;
  }

  std::string create(std::string_view hint) {
    const std::lock_guard lock(mutex_);
    const auto name = fmt::format("t_{}_{}_{}", getpid(), ++made_count_, sanitised(hint));
    admin_->exec(fmt::format("CREATE DATABASE \"{}\"", name));
    made_.push_back(name);
    return fmt::format("postgresql:///{}?host={}&user=postgres", name, percent_encoded(host_));
  }

  ~Cluster() {
    // WITH (FORCE) ends the sessions a test left open (a store not yet destroyed, a child).
    for (const auto& name : made_) {
      try {
        admin_->exec(fmt::format("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", name));
      } catch (const std::exception&) {
        // At exit, with the cluster maybe gone already: the folder goes with it.
      }
    }
    admin_.reset();
    if (!private_dir_.empty()) run_process({"/bin/bash", pg_cluster_script(), "stop", private_dir_});
  }

  Cluster(const Cluster&) = delete;
  Cluster& operator=(const Cluster&) = delete;

 private:
  Cluster() {
    const char* shared = std::getenv("COBRADOR_TEST_PG_HOST");
    if (shared && *shared) {
      host_ = shared;
    } else {
      start_private_cluster();
    }
    admin_ = std::make_unique<store::postgres::Connection>(store::postgres::ConnectionOptions{
        fmt::format("postgresql:///postgres?host={}&user=postgres", percent_encoded(host_)), "",
        "integration tests"});
  }

  void start_private_cluster() {
    // Short and under /tmp: the socket path must stay within 107 bytes.
    private_dir_ = fmt::format("/tmp/cobrador-pg-{}", getpid());
    const auto started = run_process({"/bin/bash", pg_cluster_script(), "start", private_dir_});
    if (started.exit_code != 0) {
      throw std::runtime_error("cannot start a PostgreSQL cluster for this run: " + started.err);
    }
    host_ = private_dir_;
  }

  std::mutex mutex_;
  std::string host_;
  std::string private_dir_;  // set when this process started its own cluster
  std::unique_ptr<store::postgres::Connection> admin_;
  std::vector<std::string> made_;
  int made_count_ = 0;
};

std::vector<std::vector<std::string>> pg_query(const std::string& database, std::string_view sql,
                                               const std::vector<std::string>& params) {
  store::postgres::Connection conn({database, "", "integration tests"});
  auto& stmt = conn.prepare(sql);
  for (std::size_t i = 0; i < params.size(); ++i) stmt.bind(static_cast<int>(i + 1), params[i]);
  std::vector<std::vector<std::string>> rows;
  while (stmt.step()) {
    auto& row = rows.emplace_back();
    for (int c = 0; c < stmt.column_count(); ++c) row.push_back(stmt.text(c));
  }
  return rows;
}

std::vector<std::vector<std::string>> sqlite_query(const std::string& path, std::string_view sql,
                                                   const std::vector<std::string>& params) {
  sqlite3* raw = nullptr;
  const int opened = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE, nullptr);
  const std::unique_ptr<sqlite3, decltype(&sqlite3_close_v2)> db(raw, &sqlite3_close_v2);
  if (opened != SQLITE_OK) throw std::runtime_error(fmt::format("{}: {}", path, sqlite3_errmsg(raw)));
  sqlite3_busy_timeout(raw, 5000);
  sqlite3_stmt* stmt_raw = nullptr;
  if (sqlite3_prepare_v2(raw, sql.data(), static_cast<int>(sql.size()), &stmt_raw, nullptr) != SQLITE_OK) {
    throw std::runtime_error(fmt::format("`{}`: {}", sql, sqlite3_errmsg(raw)));
  }
  const std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)> stmt(stmt_raw, &sqlite3_finalize);
  // SQLite numbers named parameters by first appearance: "$2 ... $1" makes $2 the first.
  for (std::size_t i = 0; i < params.size(); ++i) {
    const int index = sqlite3_bind_parameter_index(stmt.get(), fmt::format("${}", i + 1).c_str());
    if (index > 0) sqlite3_bind_text(stmt.get(), index, params[i].c_str(), -1, SQLITE_TRANSIENT);
  }
  std::vector<std::vector<std::string>> rows;
  int rc = SQLITE_ROW;
  while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
    auto& row = rows.emplace_back();
    for (int c = 0; c < sqlite3_column_count(stmt.get()); ++c) {
      const auto* text = sqlite3_column_text(stmt.get(), c);
      row.emplace_back(text ? reinterpret_cast<const char*>(text) : "");
    }
  }
  if (rc != SQLITE_DONE) throw std::runtime_error(fmt::format("`{}`: {}", sql, sqlite3_errmsg(raw)));
  return rows;
}

}  // namespace

bool testing_postgresql() {
  const char* store = std::getenv("COBRADOR_TEST_STORE");
  return store && std::string_view(store) == "postgresql";
}

std::string fresh_database(const std::filesystem::path& dir, std::string_view name) {
  if (!testing_postgresql()) return (dir / (std::string(name) + ".db")).string();
  return Cluster::instance().create(name);
}

std::vector<std::vector<std::string>> query(const std::string& database, std::string_view sql,
                                            const std::vector<std::string>& params) {
  return config::is_postgresql_uri(database) ? pg_query(database, sql, params)
                                             : sqlite_query(database, sql, params);
}

std::string count_rows(const std::string& database, const std::string& table) {
  return query(database, "SELECT COUNT(*) FROM \"" + table + "\"").at(0).at(0);
}

}  // namespace cobrador::testing
