// The database a test runs on, whichever store the run is testing. ctest registers the
// integration tests twice: as they are (SQLite files in each test's TempDir), and, for the tags
// in COBRADOR_PG_TEST_SPEC, with COBRADOR_TEST_STORE=postgresql against one throwaway cluster
// (tests/support/pg_cluster.sh) whose socket folder is COBRADOR_TEST_PG_HOST. A test asks for
// fresh_database(dir) where it would have written (dir / "x.db") and runs on either.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace cobrador::testing {

// True when this run tests the PostgreSQL store ($COBRADOR_TEST_STORE is "postgresql").
bool testing_postgresql();

// A new, empty database, as `database:` in cobrador.yaml takes it: with SQLite the path
// dir/NAME.db; with PostgreSQL a database made for this call in the test cluster, as
// postgresql:///t_<pid>_<n>_<name>?host=<socket folder>&user=postgres. The databases this
// process made are dropped when it exits. Without $COBRADOR_TEST_PG_HOST (integration_tests
// run by hand) a private cluster is started for this process and removed at its exit.
std::string fresh_database(const std::filesystem::path& dir, std::string_view name = "cobrador");

// Runs one statement on either kind of database, with $1, $2... bound to `params` as text,
// and returns its rows as text (NULL as ""). For the rows the Store interface does not show.
// Throws std::runtime_error with the database's message when the statement fails.
std::vector<std::vector<std::string>> query(const std::string& database, std::string_view sql,
                                            const std::vector<std::string>& params = {});

// The number of rows in `table`, as text (as query() answers).
std::string count_rows(const std::string& database, const std::string& table);

}  // namespace cobrador::testing
