// Crash loop of `cobradorctl walk` (issue 19): a walk over a few thousand overdue customers,
// killed (SIGKILL) at a random moment again and again, then run to the end. The walk writes one
// transaction per batch of customers: after every kill each customer has either the whole
// decision (episode, stage run, its three actions) or none of it; after the last run every
// customer has it exactly once, no action is in the outbox twice, and walking the day again
// writes nothing. On a SQLite file and on PostgreSQL.
#include <catch2/catch.hpp>

#include <random>

#include <fmt/format.h>

#include "integration/crash/crash_loop.hpp"

using namespace cobrador::testing;

namespace walk_crash_test {

// Sized so that the kills land in the middle of the walk (batches of 1,000 customers) and the
// suite stays short: on the shared 2-core machine SQLite walks a batch in about 0.1 s, and
// PostgreSQL in about 2.5 s (a statement at a time over its socket), so that there most kills
// land in the first batch and a few after it.
int customer_count() { return crash_loop::sized(testing_postgresql() ? 1500 : 12000); }

constexpr const char* kNow = "2026-03-03T12:00:00Z";

const char* kPolicy =
    "timezone: America/Sao_Paulo\nrun_at: \"06:00\"\nmin_notice_days: 0\n"
    "stages:\n  - name: suspend\n    when: { days_overdue: 1 }\n    suspend: billed_services\n"
    "    notify: [email, sms]\n    template: suspended\n";

// What is not whole in the decisions written so far: an episode without its stage run, a
// customer with other than three actions (a suspension, an e-mail, an SMS), actions without an
// episode. "" when every customer has all of it or none.
std::string half_decided(const crash_loop::Site& site) {
  std::string out;
  const auto count = [&](const char* what, const std::string& sql) {
    const auto n = site.value(sql);
    if (n != "0") out += fmt::format("{} {}; ", n, what);
  };
  count("episodes without a stage run",
        "SELECT COUNT(*) FROM episodes e WHERE NOT EXISTS (SELECT 1 FROM stage_runs r WHERE r.episode_id = "
        "e.id)");
  count("stage runs beside the episodes",
        "SELECT (SELECT COUNT(*) FROM stage_runs) - (SELECT COUNT(*) FROM episodes)");
  count("customers with other than 3 actions",
        "SELECT COUNT(*) FROM (SELECT customer_id FROM actions GROUP BY customer_id HAVING COUNT(*) <> 3) x");
  count("actions without an episode",
        "SELECT COUNT(*) FROM actions a WHERE NOT EXISTS (SELECT 1 FROM episodes e WHERE e.id = a.episode_id "
        "AND e.customer_id = a.customer_id)");
  count("actions beyond 3 per episode",
        "SELECT (SELECT COUNT(*) FROM actions) - 3 * (SELECT COUNT(*) FROM episodes)");
  return out;
}

}  // namespace walk_crash_test

TEST_CASE("crash loop: cobradorctl walk killed at random moments decides every customer once",
          "[crash][walk]") {
  using namespace walk_crash_test;
  const auto seed = crash_loop::seed();
  INFO("COBRADOR_CRASH_SEED=" << seed << (testing_postgresql() ? " on PostgreSQL" : " on SQLite"));
  std::mt19937_64 random(seed);
  const int customer_total = customer_count();

  crash_loop::Site site(kPolicy,
                        "channels:\n  email: { smtp_url: \"smtp://127.0.0.1:9\", starttls: none, "
                        "from: \"Billing <billing@example.com>\" }\n"
                        "  sms: { url: \"http://127.0.0.1:9/sms\", body: '{\"to\": \"{{phone}}\"}' }\n"
                        "panels:\n  noc: { type: webhook, url: \"http://127.0.0.1:9/hook\", "
                        "secret_file: noc.secret }\n");
  site.dir().write("noc.secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n");
  std::string people = "id,name,email,phone\n";
  std::string services = "id,customer_id,kind,panel,account\n";
  std::string invoices = "id,customer_id,services,amount,currency,issued_on,due_on\n";
  for (int i = 1; i <= customer_total; ++i) {
    people += fmt::format("c{0},Customer {0},c{0}@example.com,+5511{0:09}\n", i);
    services += fmt::format("s{0},c{0},hosting,noc,acct{0}\n", i);
    invoices += fmt::format("i{0},c{0},s{0},{0}.90,BRL,2026-02-20,2026-03-02\n", i);
  }
  site.import("customers", people, kNow);
  site.import("services", services, kNow);
  site.import("invoices", invoices, kNow);

  long long before = 0;
  const auto tally = crash_loop::kill_loop(
      random, site, site.argv({"walk"}),
      [](int) {
        return std::map<std::string, std::string>{{"COBRADOR_NOW", kNow}};
      },
      std::chrono::milliseconds(testing_postgresql() ? 3000 : 600),
      [&](int i) {
        const auto decided = site.number("SELECT COUNT(*) FROM episodes");
        INFO("after kill " << i << ": " << decided << " customers decided");
        CHECK(decided >= before);
        CHECK(half_decided(site) == "");
        before = decided;
      });
  INFO("killed " << tally.killed << ", ended before the kill " << tally.finished << "; delays (ms) "
                 << tally.delays << "; customers decided before the last run " << before);

  const auto last = site.ctl({"walk"}, kNow);
  INFO(last.err);
  REQUIRE(last.exit_code == 0);
  const auto all = std::to_string(customer_total);
  CHECK(site.value("SELECT COUNT(*) FROM episodes") == all);
  CHECK(site.value("SELECT COUNT(DISTINCT customer_id) FROM episodes") == all);
  CHECK(site.value("SELECT COUNT(*) FROM stage_runs") == all);
  CHECK(site.value("SELECT COUNT(*) FROM actions") == std::to_string(3 * customer_total));
  CHECK(site.value("SELECT COUNT(DISTINCT key) FROM actions") == std::to_string(3 * customer_total));
  CHECK(site.value("SELECT COUNT(*) FROM actions WHERE state <> 'pending'") == "0");
  CHECK(half_decided(site) == "");
  // Each kind of action once per customer and stage.
  CHECK(site.value("SELECT COUNT(*) FROM (SELECT customer_id, stage, kind, target FROM actions GROUP BY "
                   "customer_id, stage, kind, target HAVING COUNT(*) > 1) d") == "0");
  // The audit trail says it once too: one episode started and one stage run per customer.
  CHECK(site.value("SELECT COUNT(*) FROM audit WHERE event = 'episode_started'") == all);
  CHECK(site.value("SELECT COUNT(*) FROM audit WHERE event = 'stage_run'") == all);

  // Walking the same day again writes nothing new.
  const auto audit = site.value("SELECT COUNT(*) FROM audit");
  const auto again = site.ctl({"walk"}, kNow);
  REQUIRE(again.exit_code == 0);
  CHECK(site.value("SELECT COUNT(*) FROM audit") == audit);
  CHECK(site.value("SELECT COUNT(*) FROM actions") == std::to_string(3 * customer_total));
}
