// The world of the trust-release and claims tests: the real HTTP server of ApiFixture (policy
// etc/policy.yaml: São Paulo time, no suspensions on fri/sat/sun, 1-day claim releases,
// claims expire after 3 days, at most 2 releases in 12 months), the real cobradorctl binary
// on the same SQLite file, and a panel that says yes to every action (Store::complete_action,
// the dispatcher's acknowledgement path).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api_fixture.hpp"
#include "support/process.hpp"

namespace cobrador::testing {

class TrustScenario {
 public:
  ApiFixture api;

  // cobradorctl with the fixture's config, its clock pinned at `day` 12:00 UTC (09:00 in
  // São Paulo, after the walk).
  ProcessResult ctl(std::vector<std::string> args, const std::string& day);
  // `cobradorctl walk --date day`, which must succeed; the HTTP clock moves to that day.
  void walk(const std::string& day);
  // Every pending action is carried out, as a panel and a mail server that say yes.
  void deliver();
  // Customers with one hosting service each, owing 49.90 due Wednesday 4 March 2026, walked
  // through the reminder and the warning to the suspension on day 5 (Monday 9 March).
  void suspend_on_day_5(const std::vector<std::string>& customers);

  std::string service_state(const std::string& service);
  // Actions of `kind` for the customer, in `state` if given ("" = any).
  std::int64_t actions(const std::string& customer, const std::string& kind, const std::string& state = "");
  nlohmann::json customer(const std::string& id);  // GET /v1/customers/{id} (read scope)
  std::string promise_outcome(std::int64_t promise_id);
  Reply claim(const std::string& customer, const std::string& reference, const std::string& amount = "49.90");
};

}  // namespace cobrador::testing
