// The walk and a payment import as two real cobradorctl processes on one SQLite file, started
// together many times: no customer whose payment committed before the walk's transaction
// began is suspended.
//
// How "committed before the walk's transaction began" is established: writers are serialized
// by SQLite's write lock (both take it with BEGIN IMMEDIATE and hold it to COMMIT), and an
// audit row's id is one more than the largest id committed when it is inserted. So the import's
// payment_created row has a smaller id than the walk's rows exactly when the import's
// transaction committed before the walk's took the lock. A control customer who never pays
// gives the walk a row in every run. A walk that read its snapshots before taking the lock
// (or from an older read transaction) would suspend payers on the "payment first" side: that
// is what the test looks for.
#include <catch2/catch.hpp>

#include <map>
#include <thread>

#include <fmt/format.h>

#include "store/sqlite/sqlite_store.hpp"
#include "support/background_process.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

using namespace cobrador;
using namespace cobrador::testing;

namespace {

constexpr int kPayers = 40;
constexpr int kIterations = 40;

const char* kPolicy = R"(timezone: America/Sao_Paulo
run_at: "06:00"
min_notice_days: 0
stages:
  - name: suspend
    when: { days_overdue: 5 }
    suspend: billed_services
)";

std::int64_t first_id(store::sqlite::SqliteStore& db, const std::string& subject, const std::string& event) {
  for (const auto& row : db.audit_of(subject)) {
    if (row.event == event) return row.id;
  }
  return 0;
}

}  // namespace

TEST_CASE("a walk and a payment import racing on one database never suspend a customer who paid first",
          "[correctness][race][sqlite]") {
  TempDir dir;
  dir.write("policy.yaml", kPolicy);
  dir.write("noc.secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n");
  std::filesystem::create_directories(dir / "var");
  const auto config = [&](const std::string& database) {
    return dir
        .write(database + ".yaml", fmt::format("database: var/{}.db\npolicy: policy.yaml\n"
                                               "panels:\n  noc: {{ type: webhook, url: "
                                               "\"http://127.0.0.1:9/hook\", secret_file: noc.secret }}\n",
                                               database))
        .string();
  };
  const auto seed_config = config("seed");
  const auto run_config = config("run");
  const auto ctl = [&](const std::string& cfg, std::vector<std::string> args) {
    args.insert(args.begin(), {COBRADORCTL_PATH, "-c", cfg});
    const auto result = run_process(args, {{"COBRADOR_NOW", "2026-02-20T12:00:00Z"}});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
  };

  // The book: payers x1..x40 and the control x0, each with one service and one invoice due
  // Monday 2 March, so that the walk of Saturday the 7th (day 5) suspends whoever still owes.
  std::string people = "id,name,email\n", services = "id,customer_id,kind,panel,account\n",
              invoices = "id,customer_id,services,amount,currency,issued_on,due_on,status\n",
              payments = "id,invoice_id,amount,currency,method,source,reference,status,received_on\n";
  for (int i = 0; i <= kPayers; ++i) {
    people += fmt::format("x{0},Customer {0},x{0}@example.com\n", i);
    services += fmt::format("s{0},x{0},hosting,noc,acct{0}\n", i);
    invoices += fmt::format("i{0},x{0},s{0},59.90,BRL,2026-02-20,2026-03-02,open\n", i);
    if (i > 0) payments += fmt::format("p{0},i{0},59.90,BRL,pix,bank,E{0},confirmed,2026-03-07\n", i);
  }
  for (const auto& [kind, text] :
       {std::pair{"customers", people}, {"services", services}, {"invoices", invoices}}) {
    ctl(seed_config, {"import", kind, dir.write(std::string(kind) + ".csv", text).string()});
  }
  const auto payments_file = dir.write("payments.csv", payments).string();
  const auto seed_db = dir / "var" / "seed.db";
  const auto run_db = dir / "var" / "run.db";
  REQUIRE(!std::filesystem::exists(dir / "var" / "seed.db-wal"));  // closed cleanly: one file holds it all

  int payment_first = 0;
  int walk_first = 0;
  for (int iteration = 0; iteration < kIterations; ++iteration) {
    INFO("iteration " << iteration);
    for (const auto* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(run_db.string() + suffix);
    std::filesystem::copy_file(seed_db, run_db);

    // Alternate who starts first, by 0 to 35 ms, so that both orders and near-ties happen.
    const auto stagger = std::chrono::milliseconds((iteration / 2) % 8 * 5);
    const std::vector<std::string> walk{COBRADORCTL_PATH, "-c", run_config, "walk", "--date", "2026-03-07"};
    const std::vector<std::string> import{COBRADORCTL_PATH, "-c",       run_config,
                                          "import",         "payments", payments_file};
    const std::map<std::string, std::string> env{{"COBRADOR_NOW", "2026-03-07T09:00:00Z"}};
    std::optional<int> walk_exit, import_exit;
    {
      const bool walk_leads = iteration % 2 == 0;
      BackgroundProcess first(walk_leads ? walk : import, env, dir / "first.log");
      std::this_thread::sleep_for(stagger);
      BackgroundProcess second(walk_leads ? import : walk, env, dir / "second.log");
      const auto a = first.wait_for(std::chrono::seconds(60));
      const auto b = second.wait_for(std::chrono::seconds(60));
      walk_exit = walk_leads ? a : b;
      import_exit = walk_leads ? b : a;
    }
    INFO(read_file(dir / "first.log") << read_file(dir / "second.log"));
    REQUIRE(walk_exit == 0);
    REQUIRE(import_exit == 0);

    store::sqlite::SqliteStore db(run_db.string());
    const auto walk_row = first_id(db, "customer:x0", "stage_run");
    REQUIRE(walk_row > 0);  // the control is suspended in every run
    for (int i = 1; i <= kPayers; ++i) {
      const auto subject = fmt::format("customer:x{}", i);
      INFO(subject);
      const auto paid_row = first_id(db, subject, "payment_created");
      REQUIRE(paid_row > 0);
      store::ActionFilter suspensions;
      suspensions.customer_id = db.customer(fmt::format("x{}", i))->id;
      suspensions.kind = ActionKind::suspend;
      const auto actions = db.actions(suspensions);
      if (paid_row < walk_row) {
        ++payment_first;
        // Committed before the walk's transaction began: the walk saw it, and did nothing.
        CHECK(actions.empty());
        CHECK(first_id(db, subject, "stage_run") == 0);
        CHECK(first_id(db, subject, "episode_started") == 0);
      } else {
        ++walk_first;
        // The walk went first and queued the suspension; the payment ended the episode and
        // cancelled it in its own transaction, before any dispatcher could send it.
        REQUIRE(actions.size() == 1);
        CHECK(actions[0].state == ActionState::cancelled);
        CHECK(first_id(db, subject, "episode_ended") > paid_row);
      }
      CHECK(db.service(fmt::format("s{}", i))->state == ServiceState::active);
    }
  }
  INFO("customers whose payment committed first: " << payment_first << ", after the walk: " << walk_first);
  // Both orders happened, so the test looked at each.
  CHECK(payment_first > 0);
  CHECK(walk_first > 0);
}
