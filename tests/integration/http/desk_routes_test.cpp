// The operator's desk over real HTTP (docs/tasks.md): GET /v1/tasks, POST /v1/tasks/{id}/outcome,
// POST /v1/customers/{id}/contacts, the cause of a non-payment in GET /v1/customers/{id}, a
// cancellation awaiting its call, /metrics' open tasks, and every refusal with its field.
#include <catch2/catch.hpp>

#include "api_fixture.hpp"
#include "walk/walk.hpp"

using namespace cobrador;
using namespace cobrador::testing;
using nlohmann::json;

namespace {

const std::string kPolicy =
    "timezone: America/Sao_Paulo\nrun_at: \"06:00\"\nmin_notice_days: 0\n"
    "stages:\n  - name: reminder\n    when: { days_overdue: 3 }\n    notify: [email]\n    template: "
    "payment_reminder\n"
    "cancellation: { confirm_by: phone }\n"
    "tasks:\n  ask_cause: { at_stage: reminder }\n";

json payment(const std::string& status, const std::string& reason = "") {
  json p{{"id", "p1"},        {"invoice_id", "i1"},  {"amount", "49.90"},           {"currency", "BRL"},
         {"method", "debit"}, {"reference", "DD-1"}, {"received_on", "2026-03-02"}, {"status", status}};
  if (!reason.empty()) p["return_reason"] = reason;
  return p;
}

}  // namespace

TEST_CASE("the desk over HTTP: causes, contacts, tasks and their outcomes", "[desk][http]") {
  ApiFixture api({}, kPolicy);
  api.seed_customer("c1");
  api.seed_customer("c2");
  api.seed_customer("c3");
  api.seed_invoice("i1", "c1", "49.90", *parse_date("2026-03-02"));
  api.seed_invoice("i2", "c2", "10.00", *parse_date("2026-03-02"));
  REQUIRE(api.call("POST", "/v1/payments", payment("confirmed").dump(), kErpToken).status == 201);
  const auto returned = api.call("POST", "/v1/payments", payment("returned", "MS03").dump(), kErpToken);
  INFO(returned.body);
  REQUIRE(returned.status == 200);
  walk::walk(api.db(), api.policy(), api.now());  // day 3: the reminder

  auto customer = api.call("GET", "/v1/customers/c1", "", kReaderToken).json();
  CHECK(customer["cause"]["code"] == "insufficient_funds");
  CHECK(customer["cause"]["source"] == "bank:MS03");
  CHECK(api.call("GET", "/v1/customers/c2", "", kReaderToken).json()["cause"].is_null());

  // The inbox: c2's cause is unknown, so the reminder opened a call.
  const auto listed = api.call("GET", "/v1/tasks?kind=ask_cause", "", kReaderToken);
  REQUIRE(listed.status == 200);
  const auto tasks = listed.json()["tasks"];
  REQUIRE(tasks.size() == 1);
  CHECK(tasks[0]["customer"] == "c2");
  const auto task = "/v1/tasks/" + std::to_string(tasks[0]["id"].get<std::int64_t>()) + "/outcome";

  // A contact sets c1's cause; only operators write.
  const json contact{
      {"channel", "phone"}, {"outcome", "reached"}, {"cause", "hardship"}, {"note", "lost her job"}};
  CHECK(api.call("POST", "/v1/customers/c1/contacts", contact.dump(), kReaderToken).status == 403);
  const auto recorded = api.call("POST", "/v1/customers/c1/contacts", contact.dump(), kOperatorToken);
  REQUIRE(recorded.status == 201);
  CHECK(recorded.json()["operator"] == "operator:ops");
  customer = api.call("GET", "/v1/customers/c1", "", kReaderToken).json();
  CHECK(customer["cause"]["code"] == "hardship");

  // Closing the call.
  CHECK(api.call("POST", task, R"({"outcome":"reached"})", kReaderToken).status == 403);
  const auto wrong = api.call("POST", task, R"({"outcome":"charged"})", kOperatorToken);
  CHECK(wrong.status == 400);
  CHECK(wrong.json()["error"]["field"] == "outcome");
  CHECK(api.call("POST", task, R"({"outcome":"reached","surprise":1})", kOperatorToken).error_code() ==
        "unknown_field");
  const auto done =
      api.call("POST", task, R"({"outcome":"reached","note":"will pay Friday"})", kOperatorToken);
  REQUIRE(done.status == 200);
  CHECK(done.json()["state"] == "done");
  CHECK(done.json()["closed_by"] == "operator:ops");
  CHECK(api.call("POST", task, R"({"outcome":"reached"})", kOperatorToken).error_code() == "task_closed");
  CHECK(api.call("POST", "/v1/tasks/abc/outcome", R"({"outcome":"reached"})", kOperatorToken).status == 404);
  CHECK(api.call("POST", "/v1/tasks/99999999999999999999/outcome", R"({"outcome":"reached"})", kOperatorToken)
            .status == 404);
  CHECK(api.call("POST", "/v1/tasks/9223372036854775807/outcome", R"({"outcome":"reached"})", kOperatorToken)
            .error_code() == "unknown_task");

  // A cancellation asked through the client area waits for its call (confirm_by: phone).
  const auto asked = api.call("POST", "/v1/services/s-c3/cancellation",
                              R"({"reason":"price","contact":"Customer c3"})", kAreaToken);
  INFO(asked.body);
  REQUIRE(asked.status == 202);
  CHECK(asked.json()["state"] == "awaiting_confirmation");
  CHECK(api.call("POST", "/v1/services/s-c3/cancellation", R"({"reason":"price"})", kAreaToken).status ==
        200);
  CHECK(api.call("POST", "/v1/services/s-c2/cancellation",
                 R"({"reason":"price","force":true,"force_note":"x"})", kAreaToken)
            .status == 403);
  CHECK(api.call("GET", "/v1/tasks?kind=confirm_cancellation", "", kReaderToken).json()["tasks"].size() == 1);

  // The billing system names the responsible person; anyone else is refused, without their names.
  api.seed_customer("c4");
  const json c4{{"name", "Customer c4"}, {"email", {"c4@example.com"}}, {"responsible", {"Dona Maria"}}};
  REQUIRE(api.call("PUT", "/v1/customers/c4", c4.dump(), kBillingToken).status == 200);
  const auto stranger = api.call("POST", "/v1/services/s-c4/cancellation",
                                 R"({"reason":"price","contact":"Bruno"})", kAreaToken);
  CHECK(stranger.status == 409);
  CHECK(stranger.error_code() == "not_responsible");
  CHECK(stranger.body.find("Maria") == std::string::npos);
  CHECK(api.call("POST", "/v1/services/s-c4/cancellation", R"({"reason":"price","contact":"dona maria"})",
                 kAreaToken)
            .status == 202);

  const auto metrics = api.call("GET", "/metrics").body;
  CHECK(metrics.find("cobrador_tasks_open{kind=\"confirm_cancellation\"} 2") != std::string::npos);
  CHECK(metrics.find("cobrador_tasks_oldest_open_age_seconds{kind=\"confirm_cancellation\"} 0") !=
        std::string::npos);

  CHECK(api.call("GET", "/v1/tasks?state=later", "", kReaderToken).error_code() == "invalid_field");
  CHECK(api.call("GET", "/v1/tasks?limit=0", "", kReaderToken).error_code() == "invalid_field");
  CHECK(api.call("GET", "/v1/tasks?limit=99999999999999999999", "", kReaderToken).status == 400);
  CHECK(api.call("GET", "/v1/tasks?state=all&customer=c2", "", kReaderToken).json()["tasks"].size() == 1);
  CHECK(api.call("GET", "/v1/tasks", "", kBillingToken).status == 403);
  const json bad_contact{{"channel", "phone"}, {"outcome", "reached\u0001"}};
  CHECK(api.call("POST", "/v1/customers/c1/contacts", bad_contact.dump(), kOperatorToken).error_code() ==
        "invalid_field");
  CHECK(api.call("POST", "/v1/customers/nobody/contacts", contact.dump(), kOperatorToken).status == 404);
}
