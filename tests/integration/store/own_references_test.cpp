// A transaction whose writes point only at rows it read or wrote (store::References::own, the
// bank import's) runs without SQLite's foreign-key enforcement, and only it: enforcement is back
// for the next transaction whether that one committed or rolled back.
#include <catch2/catch.hpp>

#include <stdexcept>

#include "store/sqlite/sqlite_store.hpp"
#include "support/temp_dir.hpp"

using namespace cobrador;
using namespace cobrador::store;

namespace {

std::int64_t enforced(Database& db) {
  auto& stmt = db.prepare("PRAGMA foreign_keys");
  stmt.step();
  const auto on = stmt.int64(0);
  stmt.reset();
  return on;
}

// A payment of an invoice that does not exist.
void pay_missing_invoice(Database& db, const std::string& ext_id) {
  db.exec(
      "INSERT INTO payments (ext_id, invoice_id, amount, currency, status, received_on, recorded_at) VALUES "
      "('" +
      ext_id + "', 999, 100, 'BRL', 'confirmed', 0, 0)");
}

}  // namespace

TEST_CASE("a transaction of its own references skips foreign-key checks until it ends", "[store][sqlite]") {
  testing::TempDir dir;
  sqlite::SqliteStore store((dir / "book.db").string());
  auto& db = store.database();
  REQUIRE(enforced(db) == 1);

  SECTION("committed") {
    in_transaction(
        store, [&] { CHECK(enforced(db) == 0); }, References::own);
  }
  SECTION("rolled back") {
    CHECK_THROWS_AS(in_transaction(
                        store,
                        [&] {
                          CHECK(enforced(db) == 0);
                          throw std::runtime_error("refused");
                        },
                        References::own),
                    std::runtime_error);
  }
  CHECK(enforced(db) == 1);
  CHECK_THROWS_WITH(in_transaction(store, [&] { pay_missing_invoice(db, "p1"); }),
                    Catch::Contains("FOREIGN KEY constraint failed"));
  auto& payments = db.prepare("SELECT COUNT(*) FROM payments");
  payments.step();
  CHECK(payments.int64(0) == 0);
  payments.reset();
}
