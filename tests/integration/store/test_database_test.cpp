// The test support that gives each test its own database: two calls give two databases that
// start empty and do not see each other, and query() reads and writes either kind.
#include <catch2/catch.hpp>

#include <chrono>

#include "support/temp_dir.hpp"
#include "support/test_database.hpp"

using namespace cobrador::testing;

namespace {

// A table both dialects accept as written, with a row in it.
void make_table(const std::string& database) {
  query(database, "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT, extra TEXT)");
  query(database, "INSERT INTO notes (id, body, extra) VALUES ($1, $2, NULL)", {"7", "first"});
}

}  // namespace

// Under the postgresql registration: two fresh databases in the cluster, separate and empty.
TEST_CASE("fresh_database gives two distinct empty PostgreSQL databases", "[postgresql]") {
  REQUIRE(testing_postgresql());
  TempDir dir;
  const auto started = std::chrono::steady_clock::now();
  const auto a = fresh_database(dir.path(), "self test");
  const auto b = fresh_database(dir.path(), "self test");
  const auto took = std::chrono::steady_clock::now() - started;
  WARN("two fresh databases took " << std::chrono::duration_cast<std::chrono::milliseconds>(took).count()
                                   << " ms");
  CHECK(a.starts_with("postgresql:///t_"));
  CHECK(a != b);
  const char* user_tables = "SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'";
  CHECK(query(a, user_tables) == std::vector<std::vector<std::string>>{{"0"}});
  make_table(a);
  CHECK(query(a, user_tables) == std::vector<std::vector<std::string>>{{"1"}});
  CHECK(query(b, user_tables) == std::vector<std::vector<std::string>>{{"0"}});
  // Parameters by number, in any order, and NULL read as "".
  CHECK(query(a, "SELECT body, extra, $2 || $1 FROM notes WHERE id = $3", {"x", "y", "7"}) ==
        std::vector<std::vector<std::string>>{{"first", "", "yx"}});
  CHECK_THROWS_WITH(query(a, "SELECT nothing FROM nowhere"), Catch::Contains("nowhere"));
}

// A path in the test's folder when testing SQLite, and query() on a SQLite file in any run.
TEST_CASE("fresh_database gives a SQLite path and query reads a SQLite file", "[store]") {
  TempDir dir;
  if (!testing_postgresql()) CHECK(fresh_database(dir.path(), "self") == (dir / "self.db").string());
  // query() opens an existing file only; the store makes it in real use.
  const auto path = dir.write("self.db", "").string();
  make_table(path);
  CHECK(query(path, "SELECT body, extra, $2 || $1 FROM notes WHERE id = $3", {"x", "y", "7"}) ==
        std::vector<std::vector<std::string>>{{"first", "", "yx"}});
  CHECK_THROWS_WITH(query(path, "SELECT nothing FROM nowhere"), Catch::Contains("nowhere"));
}
