// Implements the trust-release test world.
#include "trust_scenario.hpp"

#include <catch2/catch.hpp>

#include <fmt/format.h>

#include "support/test_database.hpp"

namespace cobrador::testing {

ProcessResult TrustScenario::ctl(std::vector<std::string> args, const std::string& day) {
  args.insert(args.begin(), {COBRADORCTL_PATH, "-c", api.config_path()});
  return run_process(args, {{"COBRADOR_NOW", day + "T12:00:00Z"}});
}

void TrustScenario::walk(const std::string& day) {
  api.set_now(*parse_instant(day + "T12:00:00Z"));
  const auto result = ctl({"walk", "--date", day}, day);
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
}

void TrustScenario::deliver() {
  auto& db = api.db();
  store::ActionFilter pending;
  pending.state = ActionState::pending;
  store::in_transaction(db, [&] {
    for (const auto& action : db.actions(pending)) db.complete_action(action.id, api.now(), "ok");
  });
}

void TrustScenario::suspend_on_day_5(const std::vector<std::string>& customers) {
  for (const auto& c : customers) {
    api.seed_customer(c);
    api.seed_invoice("inv-" + c, c, "49.90", *parse_date("2026-03-04"));
  }
  for (const char* day : {"2026-03-07", "2026-03-08", "2026-03-09"}) {
    walk(day);
    deliver();
  }
  for (const auto& c : customers) REQUIRE(service_state("s-" + c) == "suspended:non_payment");
}

std::string TrustScenario::service_state(const std::string& service) {
  const auto found = api.db().service(service);
  REQUIRE(found);
  return std::string(to_string(found->state)) +
         (found->suspend_reason.empty() ? "" : ":" + found->suspend_reason);
}

std::int64_t TrustScenario::actions(const std::string& customer, const std::string& kind,
                                    const std::string& state) {
  return api.count(fmt::format(
      "SELECT COUNT(*) FROM actions a JOIN customers c ON c.id = a.customer_id WHERE c.ext_id = '{}' "
      "AND a.kind = '{}' AND ('{}' = '' OR a.state = '{}')",
      customer, kind, state, state));
}

nlohmann::json TrustScenario::customer(const std::string& id) {
  const auto reply = api.call("GET", "/v1/customers/" + id, "", kReaderToken);
  REQUIRE(reply.status == 200);
  return reply.json();
}

std::string TrustScenario::promise_outcome(std::int64_t promise_id) {
  const auto rows =
      query(api.database(), "SELECT outcome FROM promises WHERE id = $1", {std::to_string(promise_id)});
  REQUIRE(rows.size() == 1);
  return rows[0][0];
}

Reply TrustScenario::claim(const std::string& customer, const std::string& reference,
                           const std::string& amount) {
  const nlohmann::json body{{"amount", amount},
                            {"date", format_date(api.policy().local_date(api.now()))},
                            {"method", "pix"},
                            {"reference", reference},
                            {"proof_url", "https://area.example/receipts/" + reference + ".png"}};
  return api.call("POST", "/v1/customers/" + customer + "/payment-claims", body.dump(), kAreaToken);
}

}  // namespace cobrador::testing
