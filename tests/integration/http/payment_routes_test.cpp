// POST /v1/payments over real HTTP, from billing clients (bearer) and bank sources (Standard
// Webhooks): the confirmation rule, replay protection and every refusal, with the database
// checked for what was and was not written.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include "api_fixture.hpp"

using namespace cobrador;
using namespace cobrador::testing;

namespace {

std::string payment(const std::string& id, const std::string& status, const std::string& amount = "49.90") {
  return fmt::format(R"({{"id": "{}", "invoice_id": "i1", "amount": "{}", "currency": "BRL", "method": "pix",
                          "reference": "E2E-{}", "status": "{}", "received_on": "2026-03-05"}})",
                     id, amount, id, status);
}

struct Book : ApiFixture {
  Book() {
    seed_customer("c1");
    seed_invoice("i1", "c1", "49.90", *parse_date("2026-03-10"));
  }
  std::int64_t payments() { return count("SELECT COUNT(*) FROM payments"); }
  std::int64_t receipts() { return count("SELECT COUNT(*) FROM webhook_receipts"); }
};

}  // namespace

// A billing client records a pending payment: 201 with the stored payment, its source the client.
TEST_CASE("POST payment from a billing client", "[http]") {
  Book api;
  const auto created = api.call("POST", "/v1/payments", payment("p1", "pending"), kBillingToken);
  CHECK(created.status == 201);
  CHECK(created.json()["status"] == "pending");
  CHECK(created.json()["source"] == "billing");
  CHECK(api.db().payment("p1")->amount.minor == 4990);
  CHECK(api.db().invoice("i1")->balance.minor == 4990);  // pending money is not money yet
  const auto again = api.call("POST", "/v1/payments", payment("p1", "pending"), kBillingToken);
  CHECK(again.status == 200);
  CHECK(api.payments() == 1);
}

// "confirmed" only from callers allowed to confirm; a confirmed payment stays theirs to change.
TEST_CASE("POST payment: the confirmation rule", "[http]") {
  Book api;
  const auto refused = api.call("POST", "/v1/payments", payment("p1", "confirmed"), kBillingToken);
  CHECK(refused.status == 403);
  CHECK(refused.error_code() == "confirmation_not_allowed");
  CHECK(refused.error_field() == "status");
  CHECK(api.payments() == 0);

  const auto confirmed = api.call("POST", "/v1/payments", payment("p1", "confirmed"), kErpToken);
  CHECK(confirmed.status == 201);
  CHECK(api.db().invoice("i1")->balance.minor == 0);
  const auto rewrite = api.call("POST", "/v1/payments", payment("p1", "rejected"), kBillingToken);
  CHECK(rewrite.status == 403);
  CHECK(rewrite.error_field() == "id");
  CHECK(api.db().payment("p1")->status == PaymentStatus::confirmed);
}

// Payments refuse missing and wrong tokens, the wrong scope, and bad bodies, writing nothing.
TEST_CASE("POST payment refusals", "[http]") {
  Book api;
  CHECK(api.call("POST", "/v1/payments", payment("p1", "pending")).error_code() == "missing_token");
  CHECK(api.call("POST", "/v1/payments", payment("p1", "pending"), "nope").error_code() == "invalid_token");
  const auto scope = api.call("POST", "/v1/payments", payment("p1", "pending"), kAreaToken);
  CHECK(scope.status == 403);
  CHECK(scope.error_code() == "insufficient_scope");
  const auto malformed = api.call("POST", "/v1/payments", "{\"id\": ", kBillingToken);
  CHECK(malformed.status == 400);
  CHECK(malformed.error_code() == "malformed_json");
  const auto typed = api.call("POST", "/v1/payments", R"({"id": "p1", "invoice_id": ["i1"], "amount": true})",
                              kBillingToken);
  CHECK(typed.status == 400);
  CHECK(typed.error_code() == "wrong_type");
  CHECK(typed.error_field() == "amount");
  const auto missing = api.call("POST", "/v1/payments", R"({"id": "p1"})", kBillingToken);
  CHECK(missing.status == 400);
  CHECK(missing.error_code() == "missing_field");
  const auto unknown_invoice =
      api.call("POST", "/v1/payments",
               R"({"id": "p1", "invoice_id": "i9", "amount": "1.00", "currency": "BRL",
                                            "status": "pending", "received_on": "2026-03-05"})",
               kBillingToken);
  CHECK(unknown_invoice.status == 400);
  CHECK(unknown_invoice.error_field() == "invoice_id");
  const auto currency = api.call("POST", "/v1/payments", R"({"id": "p1", "invoice_id": "i1", "amount": "1.00",
      "currency": "USD", "status": "pending", "received_on": "2026-03-05"})",
                                 kBillingToken);
  CHECK(currency.status == 400);
  CHECK(currency.error_field() == "currency");
  std::string big = payment("p1", "pending");
  big.resize(1024 * 1024 + 1, ' ');
  const auto too_big = api.call("POST", "/v1/payments", big, kBillingToken);
  CHECK(too_big.status == 413);
  CHECK(too_big.error_code() == "body_too_large");
  CHECK(api.payments() == 0);
}

// A bank source signs with either of its secrets (rotation) and may confirm; its name is the source.
TEST_CASE("POST payment signed by a bank source", "[http]") {
  Book api;
  const auto old_key =
      api.signed_call("/v1/payments", payment("p1", "confirmed", "10.00"), kBankOldSecret, "msg-1");
  CHECK(old_key.status == 201);
  CHECK(old_key.json()["source"] == "bank-pix");
  const auto new_key =
      api.signed_call("/v1/payments", payment("p2", "confirmed", "39.90"), kBankNewSecret, "msg-2");
  CHECK(new_key.status == 201);
  CHECK(api.db().invoice("i1")->balance.minor == 0);
  CHECK(api.receipts() == 2);
  bool by_bank = false;
  for (const auto& entry : api.db().audit_of("customer:c1")) by_bank |= entry.actor == "bank:bank-pix";
  CHECK(by_bank);

  // noc-in is a source that does not confirm payments.
  const auto noc = api.signed_call("/v1/payments", payment("p3", "confirmed", "1.00"), kNocSecret, "msg-3");
  CHECK(noc.status == 403);
  CHECK(noc.error_code() == "confirmation_not_allowed");
  CHECK(!api.db().payment("p3"));
  CHECK(api.receipts() == 2);  // a refused delivery leaves no receipt: it may be retried
}

// A bad signature, a stale or future timestamp, missing headers: 401, nothing written.
TEST_CASE("POST payment with a bad signature or timestamp", "[http]") {
  Book api;
  const auto body = payment("p1", "confirmed");
  const auto wrong_key = api.signed_call("/v1/payments", body, kPanelSecret, "msg-1");
  CHECK(wrong_key.status == 401);
  CHECK(wrong_key.error_code() == "bad_signature");
  const auto stale =
      api.signed_call("/v1/payments", body, kBankNewSecret, "msg-1", api.now() - std::chrono::seconds{301});
  CHECK(stale.status == 401);
  CHECK(stale.error_code() == "stale_timestamp");
  const auto future =
      api.signed_call("/v1/payments", body, kBankNewSecret, "msg-1", api.now() + std::chrono::seconds{301});
  CHECK(future.status == 401);
  CHECK(future.error_code() == "stale_timestamp");
  const auto edge =
      api.signed_call("/v1/payments", body, kBankNewSecret, "msg-1", api.now() - std::chrono::seconds{300});
  CHECK(edge.status == 201);  // five minutes exactly is still inside the window
  const auto half = http_request("POST", api.url("/v1/payments"), body, {{"webhook-signature", "v1,AAAA"}});
  CHECK(half.status == 401);
  CHECK(half.error_code() == "missing_signature");
  CHECK(api.payments() == 1);
}

// A repeated webhook-id is answered 200 and applied once, even with another (validly signed) body.
TEST_CASE("POST payment replayed webhook-id is applied once", "[http]") {
  Book api;
  const auto first =
      api.signed_call("/v1/payments", payment("p1", "confirmed", "10.00"), kBankNewSecret, "msg-1");
  CHECK(first.status == 201);
  const auto replay =
      api.signed_call("/v1/payments", payment("p1", "confirmed", "10.00"), kBankNewSecret, "msg-1");
  CHECK(replay.status == 200);
  CHECK(replay.json()["duplicate"] == true);
  const auto other_body =
      api.signed_call("/v1/payments", payment("p2", "confirmed", "20.00"), kBankOldSecret, "msg-1");
  CHECK(other_body.status == 200);
  CHECK(other_body.json()["duplicate"] == true);
  CHECK(!api.db().payment("p2"));
  CHECK(api.db().invoice("i1")->balance.minor == 3990);

  // The receipt is a row in the shared database: another daemon's delivery counts too.
  store::in_transaction(api.db(), [&] { api.db().remember_webhook("bank:bank-pix", "msg-9", api.now()); });
  const auto elsewhere =
      api.signed_call("/v1/payments", payment("p9", "confirmed", "1.00"), kBankNewSecret, "msg-9");
  CHECK(elsewhere.json()["duplicate"] == true);
  CHECK(!api.db().payment("p9"));
}
