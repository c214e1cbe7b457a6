// POST /v1/hooks/panel/{panel} over real HTTP: a webhook panel's callback completes (or
// fails) the action it was given, the service state changes on "done" only, and every
// refusal leaves the outbox as it was.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include "api_fixture.hpp"
#include "support/test_database.hpp"

using namespace cobrador;
using namespace cobrador::testing;

namespace {

struct Outbox : ApiFixture {
  Outbox() {
    seed_customer("c1", "noc");
    seed_customer("c2", "whm1");
    add_action("c1:1:suspend:suspend:s-c1", "s-c1", 1);
    add_action("c2:1:suspend:suspend:s-c2", "s-c2", 2);
  }

  // An action the panel answered 202 to: in flight, held for the callback, one attempt made.
  void add_action(const std::string& key, const std::string& service, int customer, int attempts = 1,
                  const std::string& owner = "callback") {
    query(database(), fmt::format("INSERT INTO actions (key, kind, customer_id, stage, target, payload, "
                                  "state, attempts, next_attempt_at, "
                                  "created_at, lease_owner, lease_until) "
                                  "VALUES ('{}', 'suspend', {}, 'suspend', '{}', '{{\"reason\": "
                                  "\"non_payment\"}}', 'in_flight', {}, 0, 0, "
                                  "'{}', 0)",
                                  key, customer, service, attempts, owner));
  }

  // An action the dispatcher gave up on (or that was cancelled, or is pending again): no
  // lease, its attempts used.
  void add_settled_action(const std::string& key, const std::string& state) {
    query(database(), fmt::format("INSERT INTO actions (key, kind, customer_id, stage, target, payload, "
                                  "state, attempts, next_attempt_at, created_at, last_error) "
                                  "VALUES ('{}', 'suspend', 1, 'suspend', 's-c1', '{{\"reason\": "
                                  "\"non_payment\"}}', '{}', 8, 0, 0, 'timed out')",
                                  key, state));
  }

  Action action(const std::string& key) { return *db().action_by_key(key); }
};

std::string callback(const std::string& key, const std::string& status) {
  return fmt::format(R"({{"id": "{}", "status": "{}", "detail": "account suspended", "location": null}})",
                     key, status);
}

}  // namespace

// "done" completes the action and applies it: the service is suspended for non-payment.
TEST_CASE("panel hook: done completes the action and suspends the service", "[http]") {
  Outbox api;
  const auto reply = api.signed_call("/v1/hooks/panel/noc", callback("c1:1:suspend:suspend:s-c1", "done"),
                                     kPanelSecret, "cb-1");
  CHECK(reply.status == 200);
  CHECK(reply.json()["state"] == "done");
  CHECK(api.action("c1:1:suspend:suspend:s-c1").state == ActionState::done);
  const auto service = api.db().service("s-c1");
  CHECK(service->state == ServiceState::suspended);
  CHECK(service->suspend_reason == "non_payment");

  const auto replay = api.signed_call("/v1/hooks/panel/noc", callback("c1:1:suspend:suspend:s-c1", "done"),
                                      kPanelSecret, "cb-1");
  CHECK(replay.status == 200);
  CHECK(replay.json()["duplicate"] == true);
  const auto again = api.signed_call("/v1/hooks/panel/noc", callback("c1:1:suspend:suspend:s-c1", "done"),
                                     kPanelSecret, "cb-2");
  CHECK(again.status == 409);  // a second callback for a done action changes nothing
  CHECK(again.error_code() == "action_not_awaiting_callback");
  CHECK(api.count("SELECT COUNT(*) FROM audit WHERE event = 'action_done'") == 1);
}

// "failed" is a failed attempt under the dispatcher's rules (max 8 attempts, 60 s initial
// backoff with equal jitter): pending again in 30-60 s with the panel's words; the service
// keeps its state.
TEST_CASE("panel hook: failed is retried after the backoff", "[http]") {
  Outbox api;
  const auto reply = api.signed_call("/v1/hooks/panel/noc", callback("c1:1:suspend:suspend:s-c1", "failed"),
                                     kPanelSecret, "cb-1");
  CHECK(reply.status == 200);
  CHECK(reply.json()["state"] == "pending");
  const auto action = api.action("c1:1:suspend:suspend:s-c1");
  CHECK(action.state == ActionState::pending);
  CHECK(action.attempts == 1);  // the attempt was counted when the panel answered 202
  CHECK(action.last_error == "panel noc reported failure: account suspended");
  CHECK(action.next_attempt_at >= api.now() + std::chrono::seconds{30});
  CHECK(action.next_attempt_at <= api.now() + std::chrono::seconds{60});
  CHECK(api.db().service("s-c1")->state == ServiceState::active);
  CHECK(api.count("SELECT COUNT(*) FROM audit WHERE event = 'action_failed' AND actor = 'panel:noc'") == 1);
  CHECK(api.count("SELECT COUNT(*) FROM alerts") == 0);
}

// The callback of the last allowed attempt makes the action dead and alerts the operator.
TEST_CASE("panel hook: failed on the last attempt makes the action dead", "[http]") {
  Outbox api;
  api.add_action("c1:1:suspend:suspend:s-c1b", "s-c1", 1, 8);
  const auto reply = api.signed_call("/v1/hooks/panel/noc", callback("c1:1:suspend:suspend:s-c1b", "failed"),
                                     kPanelSecret, "cb-1");
  CHECK(reply.status == 200);
  CHECK(reply.json()["state"] == "dead");
  CHECK(api.action("c1:1:suspend:suspend:s-c1b").state == ActionState::dead);
  CHECK(api.count("SELECT COUNT(*) FROM alerts WHERE kind = 'action_dead' "
                  "AND subject = 'action:c1:1:suspend:suspend:s-c1b'") == 1);
  // The alert is a task in the operator's inbox, about the action's customer.
  CHECK(
      api.count("SELECT COUNT(*) FROM tasks t JOIN customers c ON c.id = t.customer_id WHERE t.kind = "
                "'action_dead' AND t.subject = 'action:c1:1:suspend:suspend:s-c1b' AND t.state = 'open' AND "
                "c.ext_id = 'c1'") == 1);
}

// A callback that comes after the wait ran out, when a dispatcher holds the action again,
// changes nothing: that dispatcher's attempt decides.
TEST_CASE("panel hook: a late failed callback leaves a reclaimed action alone", "[http]") {
  Outbox api;
  api.add_action("c1:1:suspend:suspend:s-c1c", "s-c1", 1, 2, "host:1:abc");
  const auto reply = api.signed_call("/v1/hooks/panel/noc", callback("c1:1:suspend:suspend:s-c1c", "failed"),
                                     kPanelSecret, "cb-1");
  CHECK(reply.status == 409);
  CHECK(reply.error_code() == "action_not_awaiting_callback");
  CHECK(
      reply.json()["error"]["message"] ==
      "id: action 'c1:1:suspend:suspend:s-c1c' of panel noc is being sent again (its wait for a callback ran "
      "out); nothing changed");
  const auto action = api.action("c1:1:suspend:suspend:s-c1c");
  CHECK(action.state == ActionState::in_flight);
  CHECK(action.attempts == 2);
  CHECK(action.last_error.empty());
}

// A callback for an action that is dead (the operator was told it died), failed, cancelled,
// pending again or done is refused with 409 and changes nothing: not the action, not the
// service, not the audit trail or the alerts, and its webhook-id is not remembered.
TEST_CASE("panel hook: a callback for an action not in flight changes nothing", "[http]") {
  const auto [state, status] = GENERATE(table<std::string, std::string>({{"dead", "done"},
                                                                         {"dead", "failed"},
                                                                         {"failed", "done"},
                                                                         {"cancelled", "done"},
                                                                         {"pending", "done"},
                                                                         {"done", "done"},
                                                                         {"done", "failed"}}));
  Outbox api;
  const std::string key = "c1:1:suspend:suspend:s-c1-" + state;
  api.add_settled_action(key, state);
  const auto before = api.action(key);
  const auto rows = [&api](const char* table) {
    return api.count(fmt::format("SELECT COUNT(*) FROM {}", table));
  };
  const auto audit = rows("audit"), alerts = rows("alerts"), receipts = rows("webhook_receipts");

  const auto reply = api.signed_call("/v1/hooks/panel/noc", callback(key, status), kPanelSecret, "cb-late");
  INFO(state << " <- " << status << ": " << reply.body);
  CHECK(reply.status == 409);
  CHECK(reply.error_code() == "action_not_awaiting_callback");
  CHECK(reply.error_field() == "id");
  CHECK(reply.json()["error"]["message"] ==
        fmt::format("id: action '{}' of panel noc is {}, not in flight; nothing changed", key, state));

  const auto after = api.action(key);
  CHECK(after.state == before.state);
  CHECK(after.attempts == before.attempts);
  CHECK(after.last_error == before.last_error);
  CHECK(after.next_attempt_at == before.next_attempt_at);
  const auto service = api.db().service("s-c1");
  CHECK(service->state == ServiceState::active);
  CHECK(rows("audit") == audit);
  CHECK(rows("alerts") == alerts);
  CHECK(rows("webhook_receipts") == receipts);
}

// A panel may only report on its own actions, with a valid signature and a valid body.
TEST_CASE("panel hook refusals", "[http]") {
  Outbox api;
  const auto key = std::string("c1:1:suspend:suspend:s-c1");
  const auto not_webhook =
      api.signed_call("/v1/hooks/panel/whm1", callback(key, "done"), kPanelSecret, "cb-1");
  CHECK(not_webhook.status == 404);
  CHECK(not_webhook.error_code() == "unknown_panel");
  const auto others = api.signed_call("/v1/hooks/panel/noc", callback("c2:1:suspend:suspend:s-c2", "done"),
                                      kPanelSecret, "cb-1");
  CHECK(others.status == 404);
  CHECK(others.error_code() == "unknown_action");
  const auto bad_key = api.signed_call("/v1/hooks/panel/noc", callback(key, "done"), kBankNewSecret, "cb-1");
  CHECK(bad_key.status == 401);
  CHECK(bad_key.error_code() == "bad_signature");
  const auto stale = api.signed_call("/v1/hooks/panel/noc", callback(key, "done"), kPanelSecret, "cb-1",
                                     api.now() + std::chrono::minutes{10});
  CHECK(stale.status == 401);
  CHECK(stale.error_code() == "stale_timestamp");
  const auto bearer = api.call("POST", "/v1/hooks/panel/noc", callback(key, "done"), kOperatorToken);
  CHECK(bearer.status == 401);
  CHECK(bearer.error_code() == "missing_signature");
  const auto malformed = api.signed_call("/v1/hooks/panel/noc", "{", kPanelSecret, "cb-1");
  CHECK(malformed.status == 400);
  CHECK(malformed.error_code() == "malformed_json");
  const auto typed =
      api.signed_call("/v1/hooks/panel/noc", R"({"id": "x", "status": true})", kPanelSecret, "cb-1");
  CHECK(typed.status == 400);
  CHECK(typed.error_code() == "wrong_type");
  CHECK(typed.error_field() == "status");
  const auto word = api.signed_call("/v1/hooks/panel/noc", callback(key, "maybe"), kPanelSecret, "cb-1");
  CHECK(word.status == 400);
  CHECK(word.error_field() == "status");
  std::string big = callback(key, "done");
  big.resize(1024 * 1024 + 1, ' ');
  CHECK(api.signed_call("/v1/hooks/panel/noc", big, kPanelSecret, "cb-1").status == 413);

  CHECK(api.action(key).state == ActionState::in_flight);
  CHECK(api.action("c2:1:suspend:suspend:s-c2").state == ActionState::in_flight);
  CHECK(api.count("SELECT COUNT(*) FROM webhook_receipts") == 0);
}
