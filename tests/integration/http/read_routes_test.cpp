// GET /v1/customers/{id} and GET /v1/forecast over real HTTP: the answer, the CLI agreeing
// with it word for word, and the refusals.
#include <catch2/catch.hpp>

#include "api_fixture.hpp"
#include "support/process.hpp"
#include "walk/walk.hpp"

using namespace cobrador;
using namespace cobrador::testing;

namespace {

struct Overdue : ApiFixture {
  Overdue() {
    seed_customer("c1");
    seed_invoice("i1", "c1", "49.90", *parse_date("2026-03-02"));
    walk::walk(db(), policy(), now());  // 2026-03-05: day 3, the reminder
  }
};

}  // namespace

// The customer's state, balance, stage and next action; the same JSON as `cobradorctl show`.
TEST_CASE("GET customer shows where the dunning stands, as the CLI does", "[http]") {
  Overdue api;
  const auto reply = api.call("GET", "/v1/customers/c1", "", kReaderToken);
  REQUIRE(reply.status == 200);
  const auto body = reply.json();
  CHECK(body["state"] == "overdue");
  CHECK(body["balance"]["BRL"] == "49.90");
  CHECK(body["days_overdue"] == 3);
  CHECK(body["current_stage"] == "reminder");
  CHECK(body["next_action"]["date"] == "2026-03-06");
  CHECK(body["open_promise"].is_null());
  CHECK(body["services"][0]["id"] == "s-c1");

  const auto cli =
      run_process({COBRADORCTL_PATH, "-c", api.config_path(), "--json", "show", "customer", "c1"},
                  {{"COBRADOR_NOW", format_instant(api.now())}});
  REQUIRE(cli.exit_code == 0);
  CHECK(nlohmann::json::parse(cli.out) == body);
  // Reading played the policy forward in a transaction it rolled back: nothing new was queued.
  CHECK(api.count("SELECT COUNT(*) FROM actions") == 1);
}

// Operators read too; unknown customers are 404; tokens without read are refused.
TEST_CASE("GET customer refusals", "[http]") {
  Overdue api;
  CHECK(api.call("GET", "/v1/customers/c1", "", kOperatorToken).status == 200);
  CHECK(api.call("GET", "/v1/customers/c1", "", kAreaToken).status == 200);
  const auto unknown = api.call("GET", "/v1/customers/nobody", "", kReaderToken);
  CHECK(unknown.status == 404);
  CHECK(unknown.error_code() == "unknown_customer");
  CHECK(api.call("GET", "/v1/customers/c1").error_code() == "missing_token");
  CHECK(api.call("GET", "/v1/customers/c1", "", "x").error_code() == "invalid_token");
  const auto billing = api.call("GET", "/v1/customers/c1", "", kBillingToken);
  CHECK(billing.status == 403);
  CHECK(billing.error_code() == "insufficient_scope");
}

// The forecast lists every action of the next N days, and writes nothing.
TEST_CASE("GET forecast lists the actions of the next days", "[http]") {
  Overdue api;
  const auto reply = api.call("GET", "/v1/forecast?days=10", "", kReaderToken);
  REQUIRE(reply.status == 200);
  const auto body = reply.json();
  CHECK(body["from"] == "2026-03-05");
  CHECK(body["days"] == 10);
  REQUIRE(!body["actions"].empty());
  CHECK(body["actions"][0]["date"] == "2026-03-06");
  CHECK(body["actions"][0]["customer"] == "c1");
  for (const auto& action : body["actions"]) CHECK(action["event"] == "action");
  CHECK(api.count("SELECT COUNT(*) FROM actions") == 1);
  CHECK(api.count("SELECT COUNT(*) FROM stage_runs") == 1);
}

// days is required, a whole number from 1 to 366; the read scope is required.
TEST_CASE("GET forecast refusals", "[http]") {
  Overdue api;
  const auto missing = api.call("GET", "/v1/forecast", "", kReaderToken);
  CHECK(missing.status == 400);
  CHECK(missing.error_code() == "missing_field");
  CHECK(missing.error_field() == "days");
  for (const auto* days : {"abc", "0", "367", "5x", "-1"}) {
    const auto bad = api.call("GET", std::string("/v1/forecast?days=") + days, "", kReaderToken);
    CHECK(bad.status == 400);
    CHECK(bad.error_field() == "days");
  }
  CHECK(api.call("GET", "/v1/forecast?days=3").status == 401);
  CHECK(api.call("GET", "/v1/forecast?days=3", "", kBillingToken).status == 403);
}
