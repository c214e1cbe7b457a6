// The numbered migrations on a real SQLite file: from an empty file, and from every earlier
// version with data in it, to the latest, keeping the data.
#include <catch2/catch.hpp>

#include "store/sqlite/migrations.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "support/temp_dir.hpp"

using namespace cobrador;
using namespace cobrador::store;

namespace {

int count(Database& db, const std::string& table) {
  auto& stmt = db.prepare("SELECT COUNT(*) FROM " + table);
  stmt.step();
  const int n = static_cast<int>(stmt.int64(0));
  stmt.reset();
  return n;
}

}  // namespace

// A new file gets every migration and the settings the store relies on.
TEST_CASE("an empty database migrates to the latest version", "[store][sqlite]") {
  testing::TempDir dir;
  sqlite::SqliteStore store((dir / "new.db").string());
  auto& db = store.database();
  CHECK(sqlite::current_version(db) == sqlite::latest_version());
  auto& mode = db.prepare("PRAGMA journal_mode");
  mode.step();
  CHECK(mode.text(0) == "wal");
  mode.reset();
  CHECK(db.page_size() == 16384);
  auto& keys = db.prepare("PRAGMA foreign_keys");
  keys.step();
  CHECK(keys.int64(0) == 1);
  keys.reset();
  CHECK(count(db, "actions") == 0);
}

// Each earlier version, holding data, migrates forward and keeps that data.
TEST_CASE("every earlier version migrates forward with its data", "[store][sqlite]") {
  for (int from = 1; from < sqlite::latest_version(); ++from) {
    INFO("from version " << from);
    testing::TempDir dir;
    const auto path = (dir / "old.db").string();
    {
      Database db(path);
      sqlite::migrate(db, from);
      CHECK(sqlite::current_version(db) == from);
      db.exec("INSERT INTO customers (ext_id, name) VALUES ('c1', 'Ana')");
      db.exec(
          "INSERT INTO invoices (ext_id, customer_id, amount, currency, issued_on, due_on, status) "
          "VALUES ('i1', 1, 4990, 'BRL', 20500, 20510, 'open')");
    }
    sqlite::SqliteStore store(path);
    CHECK(sqlite::current_version(store.database()) == sqlite::latest_version());
    const auto customer = store.customer("c1");
    REQUIRE(customer);
    CHECK(customer->name == "Ana");
    REQUIRE(store.invoices_of(customer->id).size() == 1);
    CHECK(store.invoices_of(customer->id)[0].balance.minor == 4990);
    CHECK(store.snapshot(customer->id).open_invoices.size() == 1);
  }
}

// Migration 8 writes the CHECK constraints that list three values or more as OR chains: the
// same rule, checked without a temporary b-tree per written row. A file from version 7 with
// rows in it comes out whole, refusing what it refused, and the store's own connection (opened
// after the migration) writes without the temporary b-tree.
TEST_CASE("migration 8 keeps every constraint and checks it without a temporary table", "[store][sqlite]") {
  testing::TempDir dir;
  const auto path = (dir / "v7.db").string();
  const std::string insert_payment =
      "INSERT INTO payments (ext_id, invoice_id, amount, currency, status, received_on, recorded_at) "
      "VALUES ('p1', 1, 100, 'BRL', 'confirmed', 20510, 1)";
  const auto temporary_tables = [](Database& db, const std::string& sql) {
    auto& explain = db.prepare("EXPLAIN " + sql);
    int opened = 0;
    while (explain.step()) opened += explain.text(1) == "OpenEphemeral" ? 1 : 0;
    explain.reset();
    return opened;
  };
  {
    Database db(path);
    sqlite::migrate(db, 7);
    db.exec("INSERT INTO customers (ext_id, name) VALUES ('c1', 'Ana')");
    db.exec(
        "INSERT INTO invoices (ext_id, customer_id, amount, currency, issued_on, due_on, status) "
        "VALUES ('i1', 1, 4990, 'BRL', 20500, 20510, 'open')");
    CHECK(temporary_tables(db, insert_payment) == 1);  // what the migration is for
  }
  sqlite::SqliteStore store(path);
  auto& db = store.database();
  CHECK(temporary_tables(db, insert_payment) == 0);
  auto& lists = db.prepare(
      "SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND sql LIKE '% IN (''%'', ''%'', ''%'')%'");
  lists.step();
  CHECK(lists.int64(0) == 0);
  lists.reset();
  auto& integrity = db.prepare("PRAGMA integrity_check");
  integrity.step();
  CHECK(integrity.text(0) == "ok");
  integrity.reset();
  CHECK(count(db, "invoices") == 1);
  db.exec(insert_payment);
  CHECK_THROWS_WITH(
      db.exec("INSERT INTO payments (ext_id, invoice_id, amount, currency, status, received_on, "
              "recorded_at) VALUES ('p2', 1, 100, 'BRL', 'forged', 20510, 1)"),
      Catch::Contains("CHECK constraint failed"));
  CHECK_THROWS_WITH(db.exec("INSERT INTO services (ext_id, customer_id, kind, panel, account, state) "
                            "VALUES ('s1', 1, 'hosting', 'whm1', 'ana', 'asleep')"),
                    Catch::Contains("CHECK constraint failed"));
}

// A file written by a newer cobrador is refused rather than damaged.
TEST_CASE("a database newer than the program is refused", "[store][sqlite]") {
  testing::TempDir dir;
  const auto path = (dir / "future.db").string();
  {
    Database db(path);
    db.exec("PRAGMA user_version = 999");
  }
  CHECK_THROWS_WITH(sqlite::SqliteStore(path),
                    Catch::Contains("schema version 999 is newer than this cobrador knows"));
}

// The audit trail cannot be edited or deleted, even with SQL.
TEST_CASE("the audit trail is append-only", "[store][sqlite]") {
  testing::TempDir dir;
  sqlite::SqliteStore store((dir / "audit.db").string());
  store.audit({0, Instant{}, "system", "customer:c1", "stage_run", "{}"});
  CHECK_THROWS_WITH(store.database().exec("UPDATE audit SET event = 'x'"), Catch::Contains("append-only"));
  CHECK_THROWS_WITH(store.database().exec("DELETE FROM audit"), Catch::Contains("append-only"));
  CHECK(store.audit_of("customer:c1").size() == 1);
}
