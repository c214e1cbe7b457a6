// Several cobradord processes on one PostgreSQL database (issue 9): they share the outbox
// through leases claimed with SKIP LOCKED, one of them walks, and a daemon that dies leaves
// nothing behind. Real processes, a real cluster, a loopback webhook panel.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <csignal>
#include <map>
#include <set>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "integration/http/http_test_client.hpp"
#include "integration/site/cli_site.hpp"
#include "support/background_process.hpp"
#include "support/fake_panel.hpp"
#include "support/process.hpp"
#include "support/sanitized.hpp"
#include "support/temp_dir.hpp"
#include "support/test_database.hpp"
#include "domain/date.hpp"

using namespace cobrador;
using namespace cobrador::testing;
using namespace std::chrono_literals;

namespace {

// One stage: a day overdue, the service is suspended through the webhook panel; no notices,
// so that every action is one call the panel records with its key.
const char* kPolicy =
    "timezone: UTC\nrun_at: \"00:00\"\nmin_notice_days: 0\n"
    "stages:\n  - name: suspend\n    when: { days_overdue: 1 }\n    suspend: billed_services\n";

const char* kOpsToken = "ops-token-0123456789abcdef";

std::string day_from_today(int days) {
  return format_date(date::floor<date::days>(std::chrono::system_clock::now()) + date::days{days});
}

// A book of `customers` customers, each with one service on the webhook panel and an invoice
// two days overdue, on a fresh PostgreSQL database; the daemons' configuration beside it.
struct SharedDatabase {
  SharedDatabase(const std::string& panel_url, int customers) : database(fresh_database(dir.path())) {
    dir.write("policy.yaml", kPolicy);
    dir.write("noc.secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n");
    dir.write("ops.token", std::string(kOpsToken) + "\n");  // /healthz names the daemons to clients only
    config =
        dir.write("cobrador.yaml",
                  fmt::format("database: \"{}\"\npolicy: policy.yaml\ntemplates: {}/etc/templates\n"
                              "listen: 127.0.0.1:0\n"
                              "panels:\n  noc: {{ type: webhook, url: \"{}/hook\", secret_file: noc.secret, "
                              "timeout: 2s }}\n"
                              "dispatch: {{ lease: 5s }}\n"
                              "api_clients:\n  ops: {{ token_file: ops.token, scopes: [read] }}\n",
                              database, COBRADOR_SOURCE_DIR, panel_url))
            .string();
    std::string people = "id,name,email,phone,locale,customer_since,tags\n";
    std::string services = "id,customer_id,kind,panel,account\n";
    std::string invoices = "id,customer_id,services,amount,currency,issued_on,due_on,status\n";
    for (int i = 1; i <= customers; ++i) {
      people += fmt::format("c{0},Customer {0},c{0}@example.com,,en,2024-01-10,\n", i);
      services += fmt::format("s{0},c{0},hosting,noc,acct{0}\n", i);
      invoices +=
          fmt::format("i{0},c{0},s{0},49.90,BRL,{1},{2},open\n", i, day_from_today(-12), day_from_today(-2));
    }
    for (const auto& [kind, content] :
         {std::pair{"customers", people}, std::pair{"services", services}, std::pair{"invoices", invoices}}) {
      const auto result = ctl({"import", kind, dir.write(std::string(kind) + ".csv", content).string()});
      INFO(result.err);
      REQUIRE(result.exit_code == 0);
    }
  }

  ProcessResult ctl(std::vector<std::string> args) const {
    args.insert(args.begin(), {COBRADORCTL_PATH, "-c", config});
    return run_process(args, {});
  }

  std::int64_t count(const std::string& sql, const std::vector<std::string>& params = {}) const {
    return std::stoll(query(database, sql, params).at(0).at(0));
  }

  TempDir dir;
  std::string database;
  std::string config;
};

// A cobradord of its own, its log in the folder; SIGKILLed if the test ends first.
struct Daemon {
  Daemon(const SharedDatabase& site, const std::string& name)
      : log(site.dir / (name + ".log")), process({COBRADORD_PATH, "-c", site.config}, {}, log) {}

  // The port from "HTTP API listening on port N" (listen: 127.0.0.1:0).
  unsigned short port() { return listening_port(log); }

  nlohmann::json health() {
    return http_request("GET", fmt::format("http://127.0.0.1:{}/healthz", port()), "",
                        {{"Authorization", std::string("Bearer ") + kOpsToken}})
        .json();
  }

  std::filesystem::path log;
  BackgroundProcess process;
};

std::string host_name() {
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  return host;
}

template <class Condition>
bool wait_until(Condition done, std::chrono::seconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(100ms);
  }
  return true;
}

}  // namespace

// Three daemons drain 10,000 actions; one is SIGKILLed a third of the way. Its leases run out
// and the other two take its actions over: every action is delivered, each service under one
// idempotency key, and only what the dead daemon held in flight is delivered twice.
TEST_CASE("three daemons share the outbox and survive one killed mid-drain", "[postgresql][scale]") {
  FakePanel panel([](const FakeRequest&) { return FakeResponse{200, {}, "{}", 2ms}; });
  // Under ASan 10,000 took over 300 s (clang, -O0, a loaded 2-core machine) and timed out.
  const int customers = kSanitized ? 2000 : 10000;
  SharedDatabase site(panel.url(), customers);
  const auto walked = site.ctl({"walk"});
  INFO(walked.err);
  REQUIRE(walked.exit_code == 0);
  REQUIRE(site.count("SELECT COUNT(*) FROM actions WHERE kind = 'suspend'") == customers);

  std::vector<std::unique_ptr<Daemon>> daemons;
  for (const char* name : {"a", "b", "c"}) daemons.push_back(std::make_unique<Daemon>(site, name));
  REQUIRE(wait_until([&] { return panel.requests().size() >= customers / 3; }, 120s));
  const pid_t victim = daemons[0]->process.pid();
  REQUIRE(daemons[0]->process.kill_now());
  // What the dead daemon held: leased to it, not done. Those, and only those, may go twice.
  const auto held =
      site.count("SELECT COUNT(*) FROM actions WHERE state = 'in_flight' AND lease_owner LIKE $1",
                 {fmt::format("{}:{}:%", host_name(), victim)});
  const auto done_at_kill = site.count("SELECT COUNT(*) FROM actions WHERE state = 'done'");
  INFO("held by the killed daemon: " << held << ", done at the kill: " << done_at_kill);
  CHECK(done_at_kill < customers);

  // The survivors finish, the dead one's actions once their leases (timeout + 60 s) ran out.
  REQUIRE(wait_until(
      [&] { return site.count("SELECT COUNT(*) FROM actions WHERE state = 'done'") == customers; }, 240s));
  std::set<std::string> keys;
  for (const auto& row : query(site.database, "SELECT key, target FROM actions")) keys.insert(row[0]);
  std::map<std::string, std::set<std::string>> keys_by_service;
  std::size_t calls = 0;
  for (const auto& request : panel.requests()) {
    keys_by_service[nlohmann::json::parse(request.body)["service"]["id"]].insert(
        request.header("webhook-id"));
    ++calls;
  }
  CHECK(keys_by_service.size() == static_cast<std::size_t>(customers));  // every action arrived
  std::size_t under_two_keys = 0;
  for (const auto& [service, seen] : keys_by_service) {
    if (seen.size() != 1 || !keys.contains(*seen.begin())) ++under_two_keys;
  }
  CHECK(under_two_keys == 0);
  const auto twice = calls - keys_by_service.size();
  INFO("delivered twice: " << twice);
  CHECK(twice <= static_cast<std::size_t>(held));
}

// Two daemons started together at run_at: one takes the walk's lead and walks, the other
// does not walk; both name the same leader on /healthz. When the leader stops, the other
// takes over the lead.
TEST_CASE("two daemons started at run_at walk once and agree on the leader", "[postgresql][scale]") {
  FakePanel panel([](const FakeRequest&) { return FakeResponse{200, {}, "{}", {}}; });
  const int customers = 200;
  SharedDatabase site(panel.url(), customers);
  auto first = std::make_unique<Daemon>(site, "first");
  auto second = std::make_unique<Daemon>(site, "second");
  const std::map<std::string, Daemon*> by_name{
      {fmt::format("cobradord {}:{}", host_name(), first->process.pid()), first.get()},
      {fmt::format("cobradord {}:{}", host_name(), second->process.pid()), second.get()}};

  REQUIRE(wait_until([&] { return site.count("SELECT COUNT(*) FROM walks") > 0; }, 60s));
  REQUIRE(wait_until([&] { return site.count("SELECT COUNT(*) FROM actions") >= customers; }, 30s));
  std::this_thread::sleep_for(1s);  // room for a second walk, if there were one
  CHECK(site.count("SELECT COUNT(*) FROM walks") == 1);
  CHECK(site.count("SELECT evaluated FROM walks") == customers);
  CHECK(site.count("SELECT COUNT(*) FROM actions") == customers);
  CHECK(site.count("SELECT COUNT(*) FROM audit WHERE event = 'stage_run'") == customers);
  CHECK(site.count("SELECT COUNT(*) FROM audit WHERE event = 'episode_started'") == customers);

  const auto leader = first->health()["walk_leader"];
  REQUIRE(leader.is_string());
  CHECK(second->health()["walk_leader"] == leader);
  CHECK(first->health()["store"] == "postgresql");
  REQUIRE(by_name.contains(leader.get<std::string>()));
  Daemon* leading = by_name.at(leader.get<std::string>());
  Daemon* other = leading == first.get() ? second.get() : first.get();
  const auto other_name = other->health()["daemon"].get<std::string>();
  CHECK(other_name != leader.get<std::string>());
  // /metrics says the same: 1 on the leader, 0 on the other.
  const auto metric = [&](Daemon& daemon) {
    const auto text = http_request("GET", fmt::format("http://127.0.0.1:{}/metrics", daemon.port())).body;
    const auto at = text.find("\ncobrador_walk_leader{");
    return at == std::string::npos ? std::string() : text.substr(at + 1, text.find('\n', at + 1) - at - 1);
  };
  CHECK(metric(*leading) ==
        fmt::format("cobrador_walk_leader{{daemon=\"{0}\",backend=\"postgresql\",leader=\"{0}\"}} 1",
                    leader.get<std::string>()));
  CHECK(metric(*other) ==
        fmt::format("cobrador_walk_leader{{daemon=\"{}\",backend=\"postgresql\",leader=\"{}\"}} 0",
                    other_name, leader.get<std::string>()));

  // The leader stops; its lock goes with its connection, and the other takes the lead on its
  // next ask (every 30 s).
  kill(leading->process.pid(), SIGTERM);
  REQUIRE(leading->process.wait_for(10s).has_value());
  CHECK(wait_until([&] { return other->health()["walk_leader"] == other_name; }, 45s));
  CHECK(read_file(other->log).find("this daemon leads the daily walk") != std::string::npos);
  // Taking the lead does not walk the day again.
  CHECK(site.count("SELECT COUNT(*) FROM walks") == 1);
  CHECK(site.count("SELECT COUNT(*) FROM actions") == customers);
}
