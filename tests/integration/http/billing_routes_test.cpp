// PUT /v1/customers, /v1/services and /v1/invoices over real HTTP: created, unchanged,
// refused for every reason the API refuses, and the database checked after each answer.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "api_fixture.hpp"
#include "walk/walk.hpp"

using namespace cobrador;
using namespace cobrador::testing;

namespace {

const std::string kAna = R"({"name": "Ana Silva", "email": ["ana@example.com"], "locale": "pt-BR",
                             "customer_since": "2024-01-10", "tags": ["vip"]})";

std::int64_t customers(ApiFixture& api) { return api.count("SELECT COUNT(*) FROM customers"); }

}  // namespace

// A new customer is 201 with the stored object; the same PUT again is 200 and writes nothing.
TEST_CASE("PUT customer creates, then is idempotent", "[http]") {
  ApiFixture api;
  const auto created = api.call("PUT", "/v1/customers/c1", kAna, kBillingToken);
  CHECK(created.status == 201);
  const auto body = created.json();
  CHECK(body["id"] == "c1");
  CHECK(body["name"] == "Ana Silva");
  CHECK(body["email"] == nlohmann::json::array({"ana@example.com"}));
  CHECK(body["tags"] == nlohmann::json::array({"vip"}));
  CHECK(body["customer_since"] == "2024-01-10");
  CHECK(api.db().customer("c1")->locale == "pt-BR");

  const auto again = api.call("PUT", "/v1/customers/c1", kAna, kBillingToken);
  CHECK(again.status == 200);
  CHECK(again.json() == body);
  const auto audit = api.db().audit_of("customer:c1");
  REQUIRE(audit.size() == 1);  // the second PUT changed nothing, not even the audit trail
  CHECK(audit[0].actor == "billing");
  CHECK(audit[0].event == "customer_created");

  const auto renamed = api.call("PUT", "/v1/customers/c1", R"({"name": "Ana S. Silva"})", kBillingToken);
  CHECK(renamed.status == 200);
  CHECK(api.db().customer("c1")->name == "Ana S. Silva");
}

// Without a token, with a wrong one or with a token lacking the billing scope nothing is written.
TEST_CASE("PUT customer refuses missing, wrong and under-scoped tokens", "[http]") {
  ApiFixture api;
  const auto missing = api.call("PUT", "/v1/customers/c1", kAna);
  CHECK(missing.status == 401);
  CHECK(missing.error_code() == "missing_token");
  CHECK(missing.header("www-authenticate") == "Bearer");
  const auto wrong = api.call("PUT", "/v1/customers/c1", kAna, "not-a-token");
  CHECK(wrong.status == 401);
  CHECK(wrong.error_code() == "invalid_token");
  CHECK(wrong.body.find("not-a-token") == std::string::npos);  // a token is never echoed
  const auto basic = api.call("PUT", "/v1/customers/c1", kAna, "", {{"Authorization", "Basic YTpi"}});
  CHECK(basic.status == 401);
  CHECK(basic.error_code() == "invalid_token");
  const auto reader = api.call("PUT", "/v1/customers/c1", kAna, kReaderToken);
  CHECK(reader.status == 403);
  CHECK(reader.error_code() == "insufficient_scope");
  CHECK(customers(api) == 0);
}

// Bodies that are not JSON, fields of the wrong type, unknown or missing fields: 400 naming the field.
TEST_CASE("PUT customer refuses bad bodies with a JSON error naming the field", "[http]") {
  ApiFixture api;
  const auto malformed = api.call("PUT", "/v1/customers/c1", R"({"name": "Ana")", kBillingToken);
  CHECK(malformed.status == 400);
  CHECK(malformed.error_code() == "malformed_json");
  CHECK(malformed.json()["error"]["field"].is_null());
  const auto list = api.call("PUT", "/v1/customers/c1", R"(["name"])", kBillingToken);
  CHECK(list.status == 400);
  CHECK(list.error_code() == "malformed_json");
  const auto typed = api.call("PUT", "/v1/customers/c1", R"({"name": 42})", kBillingToken);
  CHECK(typed.status == 400);
  CHECK(typed.error_code() == "wrong_type");
  CHECK(typed.error_field() == "name");
  const auto unknown = api.call("PUT", "/v1/customers/c1", R"({"name": "Ana", "nmae": "x"})", kBillingToken);
  CHECK(unknown.status == 400);
  CHECK(unknown.error_code() == "unknown_field");
  CHECK(unknown.error_field() == "nmae");
  const auto missing = api.call("PUT", "/v1/customers/c1", R"({"email": "ana@example.com"})", kBillingToken);
  CHECK(missing.status == 400);
  CHECK(missing.error_code() == "missing_field");
  CHECK(missing.error_field() == "name");
  const auto invalid =
      api.call("PUT", "/v1/customers/c1", R"({"name": "Ana", "email": "ana"})", kBillingToken);
  CHECK(invalid.status == 400);
  CHECK(invalid.error_code() == "invalid_field");
  CHECK(invalid.error_field() == "email");
  CHECK(invalid.json()["error"]["message"] == "email: 'ana' is not an e-mail address");
  const auto other_id = api.call("PUT", "/v1/customers/c1", R"({"id": "c2", "name": "Ana"})", kBillingToken);
  CHECK(other_id.status == 400);
  CHECK(other_id.error_field() == "id");
  CHECK(customers(api) == 0);
}

// A body of 1 MiB and one byte is 413 before anything is parsed or written.
TEST_CASE("PUT customer with a body over 1 MiB is 413", "[http]") {
  ApiFixture api;
  std::string big = R"({"name": ")" + std::string(1024 * 1024, 'a') + R"("})";
  big.resize(1024 * 1024 + 1, ' ');
  const auto reply = api.call("PUT", "/v1/customers/c1", big, kBillingToken);
  CHECK(reply.status == 413);
  CHECK(reply.error_code() == "body_too_large");
  CHECK(customers(api) == 0);
}

// Services and invoices go through the same functions as the import: references are checked.
TEST_CASE("PUT service and invoice, with their references checked", "[http]") {
  ApiFixture api;
  const auto orphan =
      api.call("PUT", "/v1/services/s1", R"({"customer_id": "c1", "kind": "hosting"})", kBillingToken);
  CHECK(orphan.status == 400);
  CHECK(orphan.error_code() == "invalid_field");
  CHECK(orphan.error_field() == "customer_id");
  CHECK(orphan.json()["error"]["message"] == "customer_id: no customer 'c1'");
  REQUIRE(api.call("PUT", "/v1/customers/c1", kAna, kBillingToken).status == 201);

  const auto service =
      api.call("PUT", "/v1/services/s1",
               R"({"customer_id": "c1", "kind": "vps", "panel": "noc", "account": "ana"})", kBillingToken);
  CHECK(service.status == 201);
  CHECK(service.json()["state"] == "active");
  CHECK(api.db().service("s1")->kind == ServiceKind::vps);
  const auto bad_kind =
      api.call("PUT", "/v1/services/s1", R"({"customer_id": "c1", "kind": "boat"})", kBillingToken);
  CHECK(bad_kind.status == 400);
  CHECK(bad_kind.error_field() == "kind");

  const std::string invoice =
      R"({"customer_id": "c1", "services": ["s1"], "amount": "49.90", "currency": "BRL",
                                  "issued_on": "2026-02-20", "due_on": "2026-03-02"})";
  const auto created = api.call("PUT", "/v1/invoices/i1", invoice, kBillingToken);
  CHECK(created.status == 201);
  CHECK(created.json()["balance"] == "49.90");
  CHECK(created.json()["status"] == "open");
  const auto number =
      api.call("PUT", "/v1/invoices/i2", R"({"customer_id": "c1", "amount": 49.9, "currency": "BRL",
                                                             "due_on": "2026-03-02"})",
               kBillingToken);
  CHECK(number.status == 400);
  CHECK(number.error_code() == "wrong_type");
  CHECK(number.error_field() == "amount");
  const auto digits =
      api.call("PUT", "/v1/invoices/i2", R"({"customer_id": "c1", "amount": "49.901", "currency": "BRL",
                                                             "due_on": "2026-03-02"})",
               kBillingToken);
  CHECK(digits.status == 400);
  CHECK(digits.error_field() == "amount");
  CHECK(!api.db().invoice("i2"));
}

// Voiding the only overdue invoice over the API ends the episode in the same request (SPEC §10).
TEST_CASE("PUT invoice that leaves nothing overdue ends the episode at once", "[http]") {
  ApiFixture api;
  api.seed_customer("c1");
  api.seed_invoice("i1", "c1", "49.90", *parse_date("2026-03-01"));
  walk::walk(api.db(), api.policy(), api.now());  // day 4: the reminder stage runs
  REQUIRE(api.count("SELECT COUNT(*) FROM episodes WHERE ended_at IS NULL") == 1);

  const auto voided =
      api.call("PUT", "/v1/invoices/i1", R"({"customer_id": "c1", "amount": "49.90", "currency": "BRL",
      "issued_on": "2026-02-19", "due_on": "2026-03-01", "status": "void"})",
               kBillingToken);
  CHECK(voided.status == 200);
  CHECK(voided.json()["status"] == "void");
  CHECK(api.count("SELECT COUNT(*) FROM episodes WHERE ended_at IS NULL") == 0);
  bool ended = false;
  for (const auto& entry : api.db().audit_of("customer:c1")) ended |= entry.event == "episode_ended";
  CHECK(ended);
}
