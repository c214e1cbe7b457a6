// The numbered migrations in PostgreSQL's dialect, on real databases in the test cluster: from
// empty and from every earlier version with data in it, to the latest; the same tables and
// columns as SQLite's at every version; the guards (a newer schema, the append-only audit
// trail, several daemons migrating at once).
#include <catch2/catch.hpp>

#include <latch>
#include <map>
#include <set>
#include <thread>

#include "store/postgres/migrations.hpp"
#include "store/sqlite/migrations.hpp"
#include "support/temp_dir.hpp"
#include "support/test_database.hpp"

using namespace cobrador;
using namespace cobrador::store;

namespace {

using Rows = std::vector<std::vector<std::string>>;
using Schema = std::map<std::string, std::set<std::string>>;  // table -> its columns

postgres::Connection connect(const std::string& uri) {
  return postgres::Connection({uri, "", "pg_migrations_test"});
}

// One row in a table that each version adds, for every version up to `version`.
void insert_rows_up_to(postgres::Connection& db, int version) {
  db.exec(
      "INSERT INTO customers (id, ext_id, name) VALUES (1, 'c1', 'Ana');"
      "INSERT INTO services (id, ext_id, customer_id, kind) VALUES (1, 's1', 1, 'hosting');"
      "INSERT INTO invoices (ext_id, customer_id, amount, currency, issued_on, due_on, status) "
      "VALUES ('i1', 1, 4990, 'BRL', 20500, 20510, 'open')");
  if (version >= 2)
    db.exec("INSERT INTO audit (at, actor, subject, event) VALUES (1, 'system', 'customer:c1', 'x')");
  if (version >= 3) db.exec("INSERT INTO alerts (at, kind, subject, message) VALUES (1, 'dead', 'a:1', 'm')");
  if (version >= 4) {
    db.exec(
        "INSERT INTO bank_imports (source, label, format, actor, imported_at) VALUES ('b', 'f', 'csv', 'o', "
        "1)");
  }
  if (version >= 5) {
    db.exec(
        "INSERT INTO promises (customer_id, granted_at, granted_on, deadline, granted_by, reason) "
        "VALUES (1, 1, 20500, 20505, 'operator:ana', 'paid by phone')");
  }
  if (version >= 6) {
    db.exec(
        "INSERT INTO locks (service_id, customer_id, stage, locked_on, locked_at) VALUES (1, 1, 'lock', 1, "
        "1)");
  }
}

// The tables inserted into above, by the version that adds them.
const std::map<int, std::vector<std::string>> kTablesOfVersion{{1, {"customers", "services", "invoices"}},
                                                               {2, {"audit"}},
                                                               {3, {"alerts"}},
                                                               {4, {"bank_imports"}},
                                                               {5, {"promises"}},
                                                               {6, {"locks"}}};

Schema pg_schema(const std::string& uri) {
  Schema schema;
  for (const auto& row :
       testing::query(uri,
                      "SELECT table_name, column_name FROM information_schema.columns "
                      "WHERE table_schema = 'public' AND table_name <> 'cobrador_schema'")) {
    schema[row[0]].insert(row[1]);
  }
  return schema;
}

Schema sqlite_schema(const std::string& path) {
  Schema schema;
  for (const auto& row :
       testing::query(path,
                      "SELECT m.name, c.name FROM pragma_table_list m, pragma_table_info(m.name) c "
                      "WHERE m.schema = 'main' AND m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND "
                      "m.name <> 'customers_search_pending'")) {
    schema[row[0]].insert(row[1]);
  }
  return schema;
}

}  // namespace

// A new database gets every migration, recorded once each.
TEST_CASE("an empty PostgreSQL database migrates to the latest version", "[store][postgresql]") {
  testing::TempDir dir;
  const auto uri = testing::fresh_database(dir.path());
  auto db = connect(uri);
  CHECK(postgres::current_version(db) == 0);
  postgres::migrate(db);
  CHECK(postgres::current_version(db) == postgres::latest_version());
  CHECK(postgres::latest_version() == sqlite::latest_version());
  CHECK(testing::query(uri, "SELECT COUNT(*), COUNT(DISTINCT version) FROM cobrador_schema") ==
        Rows{{std::to_string(postgres::latest_version()), std::to_string(postgres::latest_version())}});
  CHECK(testing::count_rows(uri, "actions") == "0");
  postgres::migrate(db);  // nothing left to do
  CHECK(testing::count_rows(uri, "cobrador_schema") == std::to_string(postgres::latest_version()));
}

// Version by version, the two dialects hold the same tables with the same columns, so that
// one store's SQL and `db copy` work on both.
TEST_CASE("both dialects have the same tables and columns at every version", "[store][postgresql]") {
  for (const auto& migration : postgres::migrations()) {
    INFO("version " << migration.version << ": " << migration.name);
    testing::TempDir dir;
    const auto uri = testing::fresh_database(dir.path());
    auto pg = connect(uri);
    postgres::migrate(pg, migration.version);
    const auto path = (dir / "same.db").string();
    {
      Database lite(path);
      sqlite::migrate(lite, migration.version);
    }
    CHECK(pg_schema(uri) == sqlite_schema(path));
  }
}

// Each earlier version, holding data in the tables it has, migrates forward and keeps it.
TEST_CASE("every earlier PostgreSQL version migrates forward with its data", "[store][postgresql]") {
  for (int from = 1; from < postgres::latest_version(); ++from) {
    INFO("from version " << from);
    testing::TempDir dir;
    const auto uri = testing::fresh_database(dir.path());
    {
      auto db = connect(uri);
      postgres::migrate(db, from);
      REQUIRE(postgres::current_version(db) == from);
      insert_rows_up_to(db, from);
    }
    auto db = connect(uri);
    postgres::migrate(db);
    CHECK(postgres::current_version(db) == postgres::latest_version());
    for (const auto& [version, tables] : kTablesOfVersion) {
      for (const auto& table : tables)
        CHECK(testing::count_rows(uri, table) == (version <= from ? "1" : "0"));
    }
    CHECK(testing::query(uri, "SELECT name, next_eval, claims_flagged_at FROM customers") ==
          Rows{{"Ana", "0", ""}});
    CHECK(testing::query(uri, "SELECT manual_reason FROM services") == Rows{{""}});
    // The migrations left the identity sequences alone: the next invoice follows the first.
    db.exec(
        "INSERT INTO invoices (ext_id, customer_id, amount, currency, issued_on, due_on, status) "
        "VALUES ('i2', 1, 100, 'BRL', 20500, 20510, 'open')");
    CHECK(testing::query(uri, "SELECT id FROM invoices ORDER BY id") == Rows{{"1"}, {"2"}});
  }
}

// A database written by a newer cobrador is refused rather than damaged.
TEST_CASE("a PostgreSQL database newer than the program is refused", "[store][postgresql]") {
  testing::TempDir dir;
  const auto uri = testing::fresh_database(dir.path());
  auto db = connect(uri);
  postgres::migrate(db);
  db.exec("INSERT INTO cobrador_schema (version) VALUES (999)");
  auto again = connect(uri);
  CHECK_THROWS_WITH(postgres::migrate(again),
                    Catch::Contains("schema version 999 is newer than this cobrador knows (" +
                                    std::to_string(postgres::latest_version()) + ")"));
  CHECK(postgres::current_version(again) == 999);  // the refusal rolled back and changed nothing
}

// The audit trail cannot be edited, deleted or emptied, even with SQL.
TEST_CASE("the PostgreSQL audit trail is append-only", "[store][postgresql]") {
  testing::TempDir dir;
  const auto uri = testing::fresh_database(dir.path());
  auto db = connect(uri);
  postgres::migrate(db);
  db.exec("INSERT INTO audit (at, actor, subject, event) VALUES (1, 'system', 'customer:c1', 'stage_run')");
  CHECK_THROWS_WITH(db.exec("UPDATE audit SET event = 'x'"), Catch::Contains("append-only"));
  CHECK_THROWS_WITH(db.exec("DELETE FROM audit"), Catch::Contains("append-only"));
  CHECK_THROWS_WITH(db.exec("TRUNCATE audit"), Catch::Contains("append-only"));
  CHECK(testing::query(uri, "SELECT event FROM audit") == Rows{{"stage_run"}});
}

// Daemons started together on an empty database: one migrates while the others wait on the
// advisory lock, and all of them start. Without the lock the second CREATE TABLE fails.
TEST_CASE("several connections migrating one empty database at once all succeed", "[store][postgresql]") {
  constexpr int kConnections = 4;
  for (int round = 0; round < 3; ++round) {
    INFO("round " << round);
    testing::TempDir dir;
    const auto uri = testing::fresh_database(dir.path());
    std::vector<std::unique_ptr<postgres::Connection>> connections;
    for (int i = 0; i < kConnections; ++i)
      connections.push_back(std::make_unique<postgres::Connection>(
          postgres::ConnectionOptions{uri, "", "daemon" + std::to_string(i)}));
    std::latch ready(kConnections);
    std::vector<std::string> errors(kConnections);
    std::vector<std::thread> threads;
    for (int i = 0; i < kConnections; ++i) {
      threads.emplace_back([&, i] {
        ready.arrive_and_wait();
        try {
          postgres::migrate(*connections[i]);
        } catch (const std::exception& e) {
          errors[i] = e.what();
        }
      });
    }
    for (auto& t : threads) t.join();
    CHECK(errors == std::vector<std::string>(kConnections));
    CHECK(
        testing::query(uri, "SELECT COUNT(*), COUNT(DISTINCT version), MAX(version) FROM cobrador_schema") ==
        Rows{{std::to_string(postgres::latest_version()), std::to_string(postgres::latest_version()),
              std::to_string(postgres::latest_version())}});
  }
}
