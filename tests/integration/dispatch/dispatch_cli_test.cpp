// cobradorctl dispatch and retry as real processes on a real database (either store), against a loopback
// webhook panel and SMS gateway (the Beast fake panel) and a real SMTP server (aiosmtpd),
// including a dispatcher killed with SIGKILL in the middle of a batch.
#include <catch2/catch.hpp>

#include <map>
#include <set>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "store/store.hpp"
#include "support/background_process.hpp"
#include "support/fake_panel.hpp"
#include "support/process.hpp"
#include "support/smtp_server.hpp"
#include "support/temp_dir.hpp"
#include "support/test_database.hpp"
#include "store/backends/open_store.hpp"

using namespace cobrador;
using namespace cobrador::testing;

namespace {

const char* kPolicy =
    "timezone: America/Sao_Paulo\nrun_at: \"06:00\"\nmin_notice_days: 0\n"
    "stages:\n  - name: suspend\n    when: { days_overdue: 1 }\n    suspend: billed_services\n"
    "    notify: [email, sms]\n    template: suspended\n";

const char* kNow = "2026-03-03T12:00:00Z";

// An installation in a folder: config, policy, secret, and a book of `customers` customers,
// each with one hosting service on the webhook panel and one invoice a day overdue.
struct Installation {
  Installation(const std::string& panel_url, const std::string& smtp_url, int customers,
               const std::string& dispatch_settings = "{ lease: 60s }") {
    dir.write("policy.yaml", kPolicy);
    dir.write("noc.secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n");
    std::filesystem::create_directories(dir / "var");
    database = fresh_database(dir / "var");
    config = dir.write("cobrador.yaml",
                       fmt::format(
                           "database: \"{}\"\npolicy: policy.yaml\ntemplates: {}/etc/templates\n"
                           "support: {{ phone: \"+55 11 4000-0000\", email: billing@example.com, "
                           "url: https://example.com/billing }}\n"
                           "panels:\n  noc: {{ type: webhook, url: \"{}/hook\", secret_file: noc.secret }}\n"
                           "channels:\n"
                           "  email: {{ smtp_url: \"{}\", starttls: none, from: \"Billing "
                           "<billing@example.com>\" }}\n"
                           "  sms: {{ url: \"{}/sms\", body: '{{\"to\": \"{{{{phone}}}}\", \"text\": "
                           "\"{{{{text}}}}\"}}' }}\n"
                           "dispatch: {}\n",
                           database, COBRADOR_SOURCE_DIR, panel_url, smtp_url, panel_url, dispatch_settings))
                 .string();
    const char* locales[] = {"pt-BR", "en", "es"};
    std::string people = "id,name,email,phone,locale,customer_since,tags\n";
    std::string services = "id,customer_id,kind,panel,account\n";
    std::string invoices = "id,customer_id,services,amount,currency,issued_on,due_on,status\n";
    for (int i = 1; i <= customers; ++i) {
      people +=
          fmt::format("c{0},Customer {0},c{0}@example.com,+5511{0:09},{1},2024-01-10,\n", i, locales[i % 3]);
      services += fmt::format("s{0},c{0},hosting,noc,acct{0}\n", i);
      invoices += fmt::format("i{0},c{0},s{0},{0}.90,BRL,2026-02-20,2026-03-02,open\n", i);
    }
    for (const auto& [kind, content] :
         {std::pair{"customers", people}, std::pair{"services", services}, std::pair{"invoices", invoices}}) {
      const auto result = ctl({"import", kind, dir.write(std::string(kind) + ".csv", content).string()});
      INFO(result.err);
      REQUIRE(result.exit_code == 0);
    }
    REQUIRE(ctl({"walk"}).exit_code == 0);
  }

  ProcessResult ctl(std::vector<std::string> args, const std::string& now = kNow) const {
    args.insert(args.begin(), {COBRADORCTL_PATH, "-c", config});
    return run_process(args, {{"COBRADOR_NOW", now}});
  }

  std::unique_ptr<store::Store> open() const { return store::open_store(database); }

  TempDir dir;
  std::string database;  // as cobrador.yaml names it: support/test_database.hpp
  std::string config;
};

// Who a delivery was for and under which key, from what the panel, gateway and SMTP server saw.
struct Delivered {
  std::string target;  // "s7", "sms:+55...", "email:c7@example.com"
  std::string key;     // the idempotency key, or for e-mail the Message-ID it derives
};

std::vector<Delivered> deliveries(const FakePanel& panel, const SmtpSink& sink) {
  std::vector<Delivered> out;
  for (const auto& request : panel.requests()) {
    if (request.path == "/hook") {
      out.push_back({nlohmann::json::parse(request.body)["service"]["id"], request.header("webhook-id")});
    } else {
      out.push_back({"sms:" + nlohmann::json::parse(request.body)["to"].get<std::string>(),
                     request.header("idempotency-key")});
    }
  }
  for (const auto& mail : sink.messages()) {
    out.push_back({"email:" + mail["rcpt_tos"][0].get<std::string>(), mail["message_id"]});
  }
  return out;
}

std::size_t count_in(store::Store& store, ActionState state) {
  store::ActionFilter filter;
  filter.state = state;
  return store.actions(filter).size();
}

}  // namespace

// A dispatcher killed (SIGKILL) mid-batch and started again after its leases ran out: every
// action is delivered, none under two keys, only what was in flight at the kill is delivered
// twice, and a repeated e-mail has the same Message-ID as the first.
TEST_CASE("a dispatcher killed mid-batch loses nothing and repeats only what was in flight", "[dispatch]") {
  FakePanel panel([](const FakeRequest&) {
    return FakeResponse{200, {}, "{}", std::chrono::milliseconds(15)};
  });
  TempDir mail_dir;
  SmtpSink sink(mail_dir / "mail");
  const int customers = 120;
  Installation site(panel.url(), sink.url(), customers);
  const auto total = site.open()->actions({}).size();
  REQUIRE(total == 3 * customers);  // a suspension, an e-mail and an SMS each

  {
    BackgroundProcess first({COBRADORCTL_PATH, "-c", site.config, "dispatch", "--until-empty"},
                            {{"COBRADOR_NOW", kNow}}, site.dir / "first.log");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (deliveries(panel, sink).size() < total / 3 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    INFO(read_file(site.dir / "first.log"));
    REQUIRE(first.kill_now());  // still running: killed in the middle
  }
  std::size_t in_flight_at_kill = 0;
  Instant leases_end;
  {
    const auto opened = site.open();
    auto& store = *opened;
    in_flight_at_kill = count_in(store, ActionState::in_flight);
    const auto done = count_in(store, ActionState::done);
    CHECK(done > 0);
    CHECK(done < total);
    CHECK(in_flight_at_kill > 0);
    const auto last = query(site.database, "SELECT MAX(lease_until) FROM actions WHERE state = 'in_flight'");
    REQUIRE(last.size() == 1);
    leases_end = from_unix(std::stoll(last[0][0]));
  }

  // Started again at once: what the killed one held is still leased to it and left alone.
  const auto early = site.ctl({"dispatch", "--until-empty"});
  INFO(early.err);
  REQUIRE(early.exit_code == 0);
  CHECK(count_in(*site.open(), ActionState::in_flight) == in_flight_at_kill);

  // Started again once those leases have run out: the rest goes.
  const auto second =
      site.ctl({"--json", "dispatch", "--until-empty"}, format_instant(leases_end + std::chrono::seconds(1)));
  INFO(second.err);
  REQUIRE(second.exit_code == 0);
  CHECK(nlohmann::json::parse(second.out)["claimed"] == in_flight_at_kill);
  CHECK(nlohmann::json::parse(second.out)["failed"] == 0);

  const auto store = site.open();
  CHECK(count_in(*store, ActionState::done) == total);
  std::set<std::string> keys;
  for (const auto& action : store->actions({})) keys.insert(action.key);

  std::map<std::string, std::set<std::string>> keys_by_target;
  std::size_t messages = 0;
  for (const auto& d : deliveries(panel, sink)) {
    keys_by_target[d.target].insert(d.key);
    ++messages;
  }
  CHECK(keys_by_target.size() == total);  // every action arrived
  for (const auto& [target, seen] : keys_by_target) {
    INFO(target);
    CHECK(seen.size() == 1);  // one key per target: a repeat is the same action, the same e-mail
    const auto& key = *seen.begin();
    if (!target.starts_with("email:")) CHECK(keys.contains(key));
  }
  const auto duplicates = messages - keys_by_target.size();
  INFO("in flight at the kill: " << in_flight_at_kill << ", delivered twice: " << duplicates);
  CHECK(duplicates <= in_flight_at_kill);
}

// A panel that keeps failing: the action is dead after max_attempts, listed by
// `list dead-actions`, and `retry` sends it again; retrying a pending action is refused.
TEST_CASE("cobradorctl lists dead actions and retries one", "[dispatch]") {
  FakePanel panel([](const FakeRequest& r) {
    return FakeResponse{r.path == "/hook" ? 500 : 200, {}, "{}", {}};
  });
  TempDir mail_dir;
  SmtpSink sink(mail_dir / "mail");
  Installation site(panel.url(), sink.url(), 1, "{ max_attempts: 1 }");

  const auto run = site.ctl({"--json", "dispatch"});
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  const auto counts = nlohmann::json::parse(run.out);
  CHECK(counts["dead"] == 1);
  CHECK(counts["done"] == 2);  // the e-mail and the SMS went out

  const auto dead = nlohmann::json::parse(site.ctl({"--json", "list", "dead-actions"}).out);
  REQUIRE(dead.size() == 1);
  CHECK(dead[0]["key"] == "c1:e1:suspend:suspend:s1");
  CHECK(dead[0]["last_error"] == "HTTP 500: {} (attempt 1 of 1)");

  const auto retried = site.ctl({"retry", "c1:e1:suspend:suspend:s1"});
  CHECK(retried.exit_code == 0);
  CHECK(retried.out.find("is pending again") != std::string::npos);
  const auto twice = site.ctl({"retry", std::to_string(dead[0]["id"].get<int>())});
  CHECK(twice.exit_code == 1);
  CHECK(twice.err == "cobradorctl: action 1 (c1:e1:suspend:suspend:s1) is pending, not dead or failed\n");
  CHECK(site.ctl({"retry", "nope"}).err == "cobradorctl: no action 'nope' (give its id or its key)\n");

  const auto again = nlohmann::json::parse(site.ctl({"--json", "dispatch"}).out);
  CHECK(again["claimed"] == 1);
  CHECK(again["dead"] == 1);
  CHECK(panel.requests().size() == 2 + 1);  // two webhook attempts and the SMS
}
