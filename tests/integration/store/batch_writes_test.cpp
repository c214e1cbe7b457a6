// A walk's batch written by apply_all (issue 20): on PostgreSQL each table's rows go in as
// arrays, one literal per column, so every text must come back exactly as it went in —
// quotes, backslashes, commas, braces, blanks, the word NULL, an empty text — and an action
// of no episode must keep a NULL episode. On SQLite the same test checks the row-by-row path.
#include <catch2/catch.hpp>

#include "store/backends/open_store.hpp"
#include "store/store.hpp"
#include "support/temp_dir.hpp"
#include "support/test_database.hpp"

using namespace cobrador;

namespace batch_writes_test {

using Rows = std::vector<std::vector<std::string>>;

const Instant kNow = from_unix(1'781'514'000);  // 2026-06-15T08:00:00Z
const Date kToday = *parse_date("2026-06-15");

// Every character an array literal treats specially, and UTF-8.
const std::string kAwkward = R"(a "quoted" b\c, {x,y} NULL  \"end\\ ñ)";

policy::CustomerSnapshot customer(store::Store& store, const std::string& ext_id) {
  Customer row;
  row.ext_id = ext_id;
  row.name = "Customer " + ext_id;
  policy::CustomerSnapshot snapshot;
  const auto upserted = store.upsert_customer(row);
  REQUIRE(upserted);
  snapshot.id = (*upserted).id;
  snapshot.ext_id = ext_id;
  return snapshot;
}

policy::PlannedAction action(const std::string& key, const std::string& stage, const std::string& target,
                             const std::string& payload) {
  policy::PlannedAction planned;
  planned.kind = ActionKind::notify;
  planned.stage = stage;
  planned.target = target;
  planned.key = key;
  planned.payload = payload;
  planned.not_before = kNow;
  return planned;
}

// The first customer starts an episode with a stage whose action and explanation carry the
// awkward texts; the second has no episode and one action of an empty stage.
std::vector<policy::Decision> decisions() {
  policy::Decision first;
  first.start_episode = true;
  first.episode_number = 1;
  first.episode_started_on = kToday;
  first.stages_run = {"warn " + kAwkward};
  first.actions = {action("k1 " + kAwkward, "warn " + kAwkward, "NULL", R"({"text":")" + kAwkward + "\"}")};
  first.explanations = {{"stage_run", "warn " + kAwkward, "rule " + kAwkward}};
  first.next_evaluation = kToday + date::days{3};
  policy::Decision second;
  second.actions = {action("k2", "", "", "")};
  second.next_evaluation = policy::kNever;
  return {first, second};
}

}  // namespace batch_writes_test

using namespace batch_writes_test;

// Every text of a batch comes back byte for byte, NULL stays NULL, and each row is in place.
TEST_CASE("a walk's batch writes every text exactly as the policy gave it", "[store]") {
  testing::TempDir dir;
  const auto database = testing::fresh_database(dir.path());
  auto store = store::open_store(database);
  const std::vector<policy::CustomerSnapshot> customers{customer(*store, "c1"), customer(*store, "c2")};
  const auto batch = decisions();

  const auto queued = store::in_transaction(
      *store, [&] { return store->apply_all(customers, batch, kToday, kNow, "system"); });

  CHECK(queued == std::vector<int>{1, 1});
  CHECK(testing::query(database,
                       "SELECT a.key, a.stage, a.target, a.payload, COALESCE(e.number, -1), "
                       "CASE WHEN a.episode_id IS NULL THEN 'none' ELSE 'some' END "
                       "FROM actions a LEFT JOIN episodes e ON e.id = a.episode_id ORDER BY a.id") ==
        Rows{{"k1 " + kAwkward, "warn " + kAwkward, "NULL", R"({"text":")" + kAwkward + "\"}", "1", "some"},
             {"k2", "", "", "", "-1", "none"}});
  CHECK(testing::query(database, "SELECT stage, superseded FROM stage_runs") ==
        Rows{{"warn " + kAwkward, "0"}});
  const auto audit = testing::query(database, "SELECT event, details FROM audit WHERE event = 'stage_run'");
  REQUIRE(audit.size() == 1);
  CHECK(audit[0][1].find("rule " + std::string(R"(a \"quoted\" b\\c)")) != std::string::npos);
  CHECK(testing::query(database, "SELECT ext_id, next_eval FROM customers ORDER BY id") ==
        Rows{{"c1", std::to_string(to_day_number(kToday + date::days{3}))},
             {"c2", std::to_string(to_day_number(policy::kNever))}});
}
