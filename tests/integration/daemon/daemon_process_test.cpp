// cobradord as systemd runs it: a real process with NOTIFY_SOCKET pointing at a socket this
// test owns. Readiness, reload with a broken and a good policy, a clean stop on SIGTERM, and
// the catch-up of the walk after days of downtime.
#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "integration/daemon/daemon_process.hpp"
#include "policy/policy.hpp"
#include "service/import.hpp"
#include "store/backends/open_store.hpp"
#include "store/store.hpp"
#include "support/temp_dir.hpp"
#include "support/test_database.hpp"

using namespace cobrador::testing;
using namespace std::chrono_literals;

// READY=1, a broken policy on SIGHUP is refused with its line and column, a good one is
// applied, and SIGTERM ends the process with 0 well within 10 s.
TEST_CASE("cobradord notifies systemd, reloads atomically and stops cleanly", "[daemon]") {
  TempDir dir;
  const std::string policy = read_file(std::string(COBRADOR_SOURCE_DIR) + "/etc/policy.yaml");
  dir.write("policy.yaml", policy);
  const auto config = dir.write("cobrador.yaml", "database: \"" + fresh_database(dir.path()) +
                                                     "\"\npolicy: policy.yaml\nlisten: 127.0.0.1:0\n"
                                                     "templates: " +
                                                     std::string(COBRADOR_SOURCE_DIR) + "/etc/templates\n");
  NotifySocket notify((dir / "notify.sock").string());
  Daemon daemon(config.string(), (dir / "notify.sock").string(), (dir / "daemon.log").string());
  REQUIRE(notify.wait_for("READY=1", 10s));

  // The HTTP API is up by the time READY=1 is sent.
  const auto log = daemon.log();
  const auto at = log.find("HTTP API listening on port ");
  REQUIRE(at != std::string::npos);
  const int port = std::stoi(log.substr(at + 27));
  const auto health = http_get(port, "/healthz");
  CHECK(health.first == 200);
  CHECK(health.second == R"({"status":"ok"})");  // the detail is for API clients only

  // A broken policy: the running one stays, the error names line and column.
  dir.write("policy.yaml", policy + "surprise: true\n");
  daemon.signal(SIGHUP);
  REQUIRE(notify.wait_for("RELOADING=1", 5s));
  REQUIRE(notify.wait_for("READY=1", 5s));
  const auto path = (dir / "policy.yaml").string();
  CHECK(daemon.log().find("<3>" + path + ":") != std::string::npos);
  CHECK(daemon.log().find("unknown key 'surprise'") != std::string::npos);
  CHECK(daemon.log().find("<3>reload refused; the running configuration stays in force") !=
        std::string::npos);

  // A good policy is applied.
  dir.write("policy.yaml", policy);
  daemon.signal(SIGHUP);
  REQUIRE(notify.wait_for("RELOADING=1", 5s));
  REQUIRE(notify.wait_for("READY=1", 5s));
  CHECK(daemon.log().find("<6>configuration reloaded from " + config.string()) != std::string::npos);

  const auto asked = std::chrono::steady_clock::now();
  daemon.signal(SIGTERM);
  CHECK(daemon.wait_exit(10s) == 0);
  CHECK(std::chrono::steady_clock::now() - asked < 10s);
  CHECK(notify.wait_for("STOPPING=1", 1s));
}

// A configuration that does not check out keeps the daemon from starting, saying why.
TEST_CASE("cobradord refuses to start on a broken configuration", "[daemon]") {
  TempDir dir;
  dir.write("policy.yaml", "timezone: Nowhere/City\nstages: []\n");
  const auto config = dir.write("cobrador.yaml", "database: cobrador.db\npolicy: policy.yaml\ntemplates: " +
                                                     std::string(COBRADOR_SOURCE_DIR) + "/etc/templates\n");
  NotifySocket notify((dir / "notify.sock").string());
  Daemon daemon(config.string(), (dir / "notify.sock").string(), (dir / "daemon.log").string());
  CHECK(daemon.wait_exit(10s) == 1);
  CHECK(daemon.log().find("policy.yaml:1:11: timezone: 'Nowhere/City' is not an IANA time zone") !=
        std::string::npos);
  CHECK_FALSE(notify.wait_for("READY=1", 200ms));
}

// Stopped after the walk of day 1 (3 March) and started again on day 5 (Saturday 7 March, 09:00
// in São Paulo): the daemon walks 7 March only, so the customer gets the warning and not the
// reminder with it; the log names the days not walked, and the walks table has no row for them.
TEST_CASE("cobradord back from downtime walks only the latest day", "[daemon]") {
  TempDir dir;
  const std::string database = fresh_database(dir.path());
  const std::string policy_path = std::string(COBRADOR_SOURCE_DIR) + "/etc/policy.yaml";
  {
    auto store = cobrador::store::open_store(database);
    const auto policy = *cobrador::policy::load_policy(policy_path);
    const auto before = *cobrador::parse_instant("2026-03-03T12:00:00Z");
    const std::pair<cobrador::service::ImportKind, const char*> book[] = {
        {cobrador::service::ImportKind::customers,
         "id,name,email,phone,locale,customer_since,tags\nc1,Ana,ana@example.com,+5511900000001,pt-BR,"
         "2024-01-10,\n"},
        {cobrador::service::ImportKind::services,
         "id,customer_id,kind,panel,account\ns1,c1,hosting,noc,ana\n"},
        {cobrador::service::ImportKind::invoices,
         "id,customer_id,services,amount,currency,issued_on,due_on,status\n"
         "i1,c1,s1,49.90,BRL,2026-02-20,2026-03-02,open\n"}};
    for (const auto& [kind, csv] : book) {
      const auto report =
          cobrador::service::import_text(*store, policy, kind, csv, "book.csv", before, "test");
      REQUIRE(report);
    }
    cobrador::store::in_transaction(*store, [&] {
      store->record_walk({*cobrador::parse_date("2026-03-03"), before, before, 1, 0});
    });
  }
  const auto config =
      dir.write("cobrador.yaml", "database: \"" + database + "\"\npolicy: " + policy_path +
                                     "\nlisten: 127.0.0.1:0\ntemplates: " + std::string(COBRADOR_SOURCE_DIR) +
                                     "/etc/templates\n");
  NotifySocket notify((dir / "notify.sock").string());
  Daemon daemon(config.string(), (dir / "notify.sock").string(), (dir / "daemon.log").string(),
                "2026-03-07T12:00:00Z");
  REQUIRE(notify.wait_for("last walk 2026-03-07", 20s));
  daemon.signal(SIGTERM);
  CHECK(daemon.wait_exit(10s) == 0);
  INFO(daemon.log());

  CHECK(daemon.log().find("catching up after downtime: walking 2026-03-07 only; not walked: 2026-03-04 to "
                          "2026-03-06 (3 days)") != std::string::npos);
  std::vector<std::string> walked;
  for (const auto& row : query(database, "SELECT day FROM walks ORDER BY day")) walked.push_back(row[0]);
  CHECK(walked.size() == 2);  // 3 March before the downtime, 7 March after it
  std::vector<std::string> notices;
  for (const auto& row :
       query(database, "SELECT stage, target FROM actions WHERE kind = 'notify' ORDER BY id"))
    notices.push_back(row[0] + " " + row[1]);
  CHECK(notices == std::vector<std::string>{"warning email:ana@example.com", "warning sms:+5511900000001"});
  std::vector<std::string> runs;
  for (const auto& row : query(database, "SELECT stage, superseded FROM stage_runs ORDER BY stage"))
    runs.push_back(row[0] + " " + row[1]);
  CHECK(runs == std::vector<std::string>{"reminder 1", "warning 0"});
  // The suspension, due on a Saturday, waits (no_suspend_on, and the warning not yet out).
  CHECK(query(database, "SELECT COUNT(*) FROM actions WHERE kind = 'suspend'")[0][0] == "0");
}

// A walk that fails is walked again after a wait, not at once and forever (issue 19, point 5).
// The fault is real: a trigger on the walks table refuses the walk's record, as a full disk
// would, until the test lifts it.
TEST_CASE("cobradord walks again after a failed walk, waiting first", "[daemon][sqlite]") {
  TempDir dir;
  const std::string database = fresh_database(dir.path());
  const std::string policy_path = std::string(COBRADOR_SOURCE_DIR) + "/etc/policy.yaml";
  cobrador::store::open_store(database);  // the schema, for the trigger to hang on
  query(database, "CREATE TABLE walk_fault (reason TEXT)");
  query(database, "INSERT INTO walk_fault VALUES ('disk full (injected)')");
  query(database,
        "CREATE TRIGGER refuse_walk BEFORE INSERT ON walks WHEN EXISTS (SELECT 1 FROM walk_fault) "
        "BEGIN SELECT RAISE(ABORT, 'disk full (injected)'); END");
  const auto config =
      dir.write("cobrador.yaml", "database: \"" + database + "\"\npolicy: " + policy_path +
                                     "\nlisten: 127.0.0.1:0\ntemplates: " + std::string(COBRADOR_SOURCE_DIR) +
                                     "/etc/templates\n");
  NotifySocket notify((dir / "notify.sock").string());
  Daemon daemon(config.string(), (dir / "notify.sock").string(), (dir / "daemon.log").string());
  REQUIRE(notify.wait_for("walk failed", 20s));
  const auto failed_at = std::chrono::steady_clock::now();
  INFO(daemon.log());
  // The log line follows the STATUS notification.
  const std::string retry_line = "disk full (injected); walking again in 10 s (failure 1 in a row)";
  for (int tries = 0; tries < 100 && daemon.log().find(retry_line) == std::string::npos; ++tries)
    std::this_thread::sleep_for(20ms);
  CHECK(daemon.log().find(retry_line) != std::string::npos);
  query(database, "DELETE FROM walk_fault");

  REQUIRE(notify.wait_for("last walk 2026-03-05", 30s));
  // Not at once: the retry waited (the clock here is the test's, the wait is the daemon's).
  CHECK(std::chrono::steady_clock::now() - failed_at > 5s);
  daemon.signal(SIGTERM);
  CHECK(daemon.wait_exit(10s) == 0);
  const auto log = daemon.log();
  std::size_t failures = 0;
  for (auto at = log.find("walk failed"); at != std::string::npos; at = log.find("walk failed", at + 1))
    ++failures;
  CHECK(failures == 1);
  CHECK(count_rows(database, "walks") == "1");
}
