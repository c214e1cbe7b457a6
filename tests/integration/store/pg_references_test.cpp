// Migration 16 on PostgreSQL: the references of episodes, stage runs and outbox rows are
// checked once per statement by triggers instead of foreign keys. They must refuse what the
// keys refused — a row naming a customer or an episode that does not exist, in a statement of
// one row or among many good ones, and an update that changes a reference to such a row — and,
// since no lock keeps a parent in place any more, refuse deleting, emptying or renumbering
// customers and episodes.
#include <catch2/catch.hpp>

#include "store/postgres/migrations.hpp"
#include "support/temp_dir.hpp"
#include "support/test_database.hpp"

using namespace cobrador;
using namespace cobrador::store;

namespace pg_references_test {

using Rows = std::vector<std::vector<std::string>>;

// A migrated database with customer 1 and its episode 1, the outbox row 'k1' of both.
std::string book(const testing::TempDir& dir) {
  const auto uri = testing::fresh_database(dir.path());
  postgres::Connection db({uri, "", "pg_references_test"});
  postgres::migrate(db);
  db.exec(
      "INSERT INTO customers (ext_id, name) VALUES ('c1', 'Ana');"
      "INSERT INTO episodes (customer_id, number, started_on) VALUES (1, 1, 20600);"
      "INSERT INTO actions (key, kind, customer_id, episode_id, target, payload, next_attempt_at, "
      "created_at) "
      "VALUES ('k1', 'notify', 1, 1, 'email:a@example.com', '{}', 0, 0)");
  return uri;
}

std::string action_of(const std::string& key, const std::string& customer, const std::string& episode) {
  return "('" + key + "', 'notify', " + customer + ", " + episode + ", 't', '{}', 0, 0)";
}

constexpr std::string_view kInsertActions =
    "INSERT INTO actions (key, kind, customer_id, episode_id, target, payload, next_attempt_at, created_at) "
    "VALUES ";

}  // namespace pg_references_test

using namespace pg_references_test;

// A written row naming a missing parent is refused with the foreign key's SQLSTATE and message,
// even when it is one of many; rows naming existing parents (or none) are written.
TEST_CASE("on PostgreSQL a row naming a customer or an episode that does not exist is refused",
          "[store][postgresql]") {
  testing::TempDir dir;
  const auto uri = book(dir);
  CHECK_THROWS_WITH(
      testing::query(uri, "INSERT INTO episodes (customer_id, number, started_on) VALUES (9, 1, 1)"),
      Catch::Contains("violates its reference to \"customers\""));
  CHECK_THROWS_WITH(
      testing::query(uri, "INSERT INTO stage_runs (episode_id, stage, ran_on) VALUES (9, 'w', 1)"),
      Catch::Contains("violates its reference to \"episodes\""));
  CHECK_THROWS_WITH(testing::query(uri, std::string(kInsertActions) + action_of("k2", "1", "1") + ", " +
                                            action_of("k3", "9", "1") + ", " + action_of("k4", "1", "NULL")),
                    Catch::Contains("violates its reference to \"customers\""));
  CHECK_THROWS_WITH(testing::query(uri, std::string(kInsertActions) + action_of("k2", "1", "9")),
                    Catch::Contains("violates its reference to \"episodes\""));
  CHECK(testing::count_rows(uri, "actions") == "1");

  testing::query(uri, std::string(kInsertActions) + action_of("k2", "1", "1") + ", " +
                          action_of("k3", "NULL", "NULL") + ", " + action_of("k4", "1", "NULL"));
  testing::query(uri, "INSERT INTO stage_runs (episode_id, stage, ran_on) VALUES (1, 'w', 1)");
  CHECK(testing::count_rows(uri, "actions") == "4");
  CHECK(testing::count_rows(uri, "stage_runs") == "1");
}

// An update that moves a reference to a missing row is refused; the dispatcher's updates, which
// leave the references alone, are not looked at.
TEST_CASE("on PostgreSQL an update pointing a row at a missing customer or episode is refused",
          "[store][postgresql]") {
  testing::TempDir dir;
  const auto uri = book(dir);
  CHECK_THROWS_WITH(testing::query(uri, "UPDATE actions SET customer_id = 9 WHERE key = 'k1'"),
                    Catch::Contains("violates its reference to \"customers\""));
  CHECK_THROWS_WITH(testing::query(uri, "UPDATE actions SET episode_id = 9 WHERE key = 'k1'"),
                    Catch::Contains("violates its reference to \"episodes\""));
  CHECK_THROWS_WITH(testing::query(uri, "UPDATE episodes SET customer_id = 9"),
                    Catch::Contains("violates its reference to \"customers\""));
  testing::query(uri, "INSERT INTO stage_runs (episode_id, stage, ran_on) VALUES (1, 'w', 1)");
  CHECK_THROWS_WITH(testing::query(uri, "UPDATE stage_runs SET episode_id = 9"),
                    Catch::Contains("violates its reference to \"episodes\""));
  testing::query(uri, "UPDATE actions SET state = 'done', episode_id = 1, customer_id = 1 WHERE key = 'k1'");
  testing::query(uri, "UPDATE actions SET episode_id = NULL WHERE key = 'k1'");
  CHECK(testing::query(uri, "SELECT state, customer_id, episode_id FROM actions") == Rows{{"done", "1", ""}});
}

// Without a foreign key's lock on the row it checked, a parent must never go away or change id.
TEST_CASE("on PostgreSQL customers and episodes are never deleted, emptied or renumbered",
          "[store][postgresql]") {
  testing::TempDir dir;
  const auto uri = book(dir);
  const auto never = Catch::Contains("are never deleted and their ids never change");
  for (const auto* table : {"customers", "episodes"}) {
    INFO(table);
    const std::string name(table);
    CHECK_THROWS_WITH(testing::query(uri, "DELETE FROM " + name), never);
    CHECK_THROWS_WITH(testing::query(uri, "TRUNCATE " + name + " CASCADE"), never);
    CHECK_THROWS_WITH(testing::query(uri, "UPDATE " + name + " SET id = 2"), never);
    CHECK(testing::count_rows(uri, name) == "1");
  }
  testing::query(uri, "UPDATE customers SET id = id, next_eval = 5");  // the same id: allowed
  testing::query(uri, "UPDATE episodes SET ended_at = 1, end_reason = 'paid'");
  CHECK(testing::count_rows(uri, "actions") == "1");
}
