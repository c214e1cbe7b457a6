// Crash loop of `cobradorctl dispatch` (issue 19): an outbox of suspensions (a webhook panel),
// SMS (a gateway) and e-mails (a real SMTP server), all on 127.0.0.1, delivered by a real
// process killed (SIGKILL) at a random moment, again and again, each run on a clock past the
// leases of the one before; then a run to the end. The receivers log every delivery with its
// Idempotency-Key / webhook-id (Message-ID for e-mail). Every action is delivered, always under
// its own key and with the same content; an action is delivered more than once only if it was
// in flight at a kill, and at most once more per such kill. On a SQLite file and on PostgreSQL.
#include <catch2/catch.hpp>

#include <map>
#include <random>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "integration/crash/crash_loop.hpp"
#include "support/fake_panel.hpp"
#include "support/smtp_server.hpp"
#include "util/instant.hpp"

using namespace cobrador;
using namespace cobrador::testing;

namespace dispatch_crash_test {

constexpr int kCustomers = 300;
const std::string kNow = "2026-03-03T12:00:00Z";

const char* kPolicy =
    "timezone: America/Sao_Paulo\nrun_at: \"06:00\"\nmin_notice_days: 0\n"
    "stages:\n  - name: suspend\n    when: { days_overdue: 1 }\n    suspend: billed_services\n"
    "    notify: [email, sms]\n    template: suspended\n";

// Run i's clock: two minutes after run i-1's, past every lease (60 s) it took.
std::string clock_of_run(int i) {
  return format_instant(*parse_instant(kNow) + std::chrono::seconds(120 * (i + 1)));
}

// One delivery as a receiver logged it: the action key it stands for, the key it came under
// (webhook-id, Idempotency-Key, Message-ID) and everything else it carried.
struct Delivery {
  std::string action;
  std::string key;
  std::string content;
};

std::vector<Delivery> deliveries(const FakePanel& panel, const SmtpSink& sink,
                                 const std::map<std::string, std::string>& action_of_address) {
  std::vector<Delivery> out;
  for (const auto& request : panel.requests()) {
    const auto key =
        request.path == "/hook" ? request.header("webhook-id") : request.header("idempotency-key");
    out.push_back({key, key, request.path + " " + request.body});
  }
  for (const auto& mail : sink.messages()) {
    const auto to = mail["rcpt_tos"][0].get<std::string>();
    const auto action = action_of_address.find(to);
    out.push_back({action == action_of_address.end() ? "unknown e-mail to " + to : action->second,
                   mail["message_id"],
                   mail["from"].get<std::string>() + "\n" + mail["to"].get<std::string>() + "\n" +
                       mail["subject"].get<std::string>() + "\n" + mail["body"].get<std::string>()});
  }
  return out;
}

}  // namespace dispatch_crash_test

TEST_CASE(
    "crash loop: cobradorctl dispatch killed at random moments delivers each action, repeats only "
    "what was in flight",
    "[crash][dispatch]") {
  using namespace dispatch_crash_test;
  const auto seed = crash_loop::seed();
  INFO("COBRADOR_CRASH_SEED=" << seed << (testing_postgresql() ? " on PostgreSQL" : " on SQLite"));
  std::mt19937_64 random(seed);

  FakePanel panel([](const FakeRequest&) {
    return FakeResponse{200, {}, "{}", std::chrono::milliseconds(30)};
  });
  TempDir mail_dir;
  SmtpSink sink(mail_dir / "mail");
  crash_loop::Site site(
      kPolicy,
      fmt::format(
          "support: {{ phone: \"+55 11 4000-0000\", email: billing@example.com, "
          "url: https://example.com/billing }}\n"
          "panels:\n  noc: {{ type: webhook, url: \"{0}/hook\", secret_file: noc.secret }}\n"
          "channels:\n"
          "  email: {{ smtp_url: \"{1}\", starttls: none, from: \"Billing <billing@example.com>\" }}\n"
          "  sms: {{ url: \"{0}/sms\", body: '{{\"to\": \"{{{{phone}}}}\", \"text\": \"{{{{text}}}}\"}}' }}\n"
          "dispatch: {{ lease: 60s }}\n",
          panel.url(), sink.url()));
  site.dir().write("noc.secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n");
  const char* locales[] = {"pt-BR", "en", "es"};
  std::string people = "id,name,email,phone,locale\n";
  std::string services = "id,customer_id,kind,panel,account\n";
  std::string invoices = "id,customer_id,services,amount,currency,issued_on,due_on\n";
  for (int i = 1; i <= kCustomers; ++i) {
    people += fmt::format("c{0},Customer {0},c{0}@example.com,+5511{0:09},{1}\n", i, locales[i % 3]);
    services += fmt::format("s{0},c{0},hosting,noc,acct{0}\n", i);
    invoices += fmt::format("i{0},c{0},s{0},{0}.90,BRL,2026-02-20,2026-03-02\n", i);
  }
  site.import("customers", people, kNow);
  site.import("services", services, kNow);
  site.import("invoices", invoices, kNow);
  REQUIRE(site.ctl({"walk"}, kNow).exit_code == 0);
  REQUIRE(site.number("SELECT COUNT(*) FROM actions") == 3 * kCustomers);

  std::map<std::string, std::string> action_of_address;
  for (const auto& row :
       query(site.database(), "SELECT key FROM actions WHERE key LIKE '%:notify:email:%'")) {
    action_of_address[row[0].substr(row[0].find(":notify:email:") + 14)] = row[0];
  }
  REQUIRE(action_of_address.size() == kCustomers);

  std::map<std::string, int> in_flight_at_kills;  // action key: at how many kills it was in flight
  const auto tally = crash_loop::kill_loop(
      random, site, site.argv({"dispatch", "--until-empty"}),
      [](int i) {
        return std::map<std::string, std::string>{{"COBRADOR_NOW", clock_of_run(i)}};
      },
      std::chrono::milliseconds(400),
      [&](int) {
        for (const auto& row : query(site.database(), "SELECT key FROM actions WHERE state = 'in_flight'")) {
          ++in_flight_at_kills[row[0]];
        }
      });
  INFO("killed " << tally.killed << ", ended before the kill " << tally.finished << "; delays (ms) "
                 << tally.delays << "; deliveries before the last run "
                 << deliveries(panel, sink, action_of_address).size() << ", actions in flight at a kill "
                 << in_flight_at_kills.size());

  const auto last = site.ctl({"--json", "dispatch", "--until-empty"}, clock_of_run(crash_loop::kills()));
  INFO(last.err);
  REQUIRE(last.exit_code == 0);
  CHECK(site.number("SELECT COUNT(*) FROM actions WHERE state = 'done'") == 3 * kCustomers);
  CHECK(site.number("SELECT COUNT(*) FROM services WHERE state = 'suspended'") == kCustomers);

  std::set<std::string> keys;
  for (const auto& row : query(site.database(), "SELECT key FROM actions")) keys.insert(row[0]);
  std::map<std::string, std::vector<Delivery>> by_action;
  for (auto& delivery : deliveries(panel, sink, action_of_address)) {
    by_action[delivery.action].push_back(std::move(delivery));
  }
  int repeated = 0;
  std::size_t most = 0;
  for (const auto& [action, received] : by_action) {
    INFO(action << " received " << received.size() << " times, in flight at "
                << (in_flight_at_kills.contains(action) ? in_flight_at_kills.at(action) : 0) << " kills");
    CHECK(keys.contains(action));
    std::set<std::string> under_keys;
    std::set<std::string> contents;
    for (const auto& one : received) {
      under_keys.insert(one.key);
      contents.insert(one.content);
    }
    // The same key (the Message-ID derived from it for e-mail) and the same content every time.
    CHECK(under_keys.size() == 1);
    CHECK(contents.size() == 1);
    // Once, and once more for each kill that found it in flight.
    const auto kills = in_flight_at_kills.contains(action) ? in_flight_at_kills.at(action) : 0;
    CHECK(received.size() <= static_cast<std::size_t>(1 + kills));
    if (received.size() > 1) ++repeated;
    most = std::max(most, received.size());
  }
  INFO(repeated << " actions delivered more than once, at most " << most << " times");
  CHECK(by_action.size() == keys.size());  // every action delivered
}
