// POST /v1/hooks/bank/{source} over real HTTP: the BACEN PIX callback mapped to payments on
// the invoice whose id is the txid, unmatched money raised to the operator, a generic payment
// body, every refusal, and the Standard Webhooks known-answer vector on the wire.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include "api_fixture.hpp"
#include "util/crypto.hpp"

using namespace cobrador;
using namespace cobrador::testing;

namespace {

const std::string kPix = R"({"pix": [
  {"endToEndId": "E12345678202603051200abcdef00001", "txid": "i1", "valor": "49.90",
   "horario": "2026-03-05T01:30:00.358-03:00", "infoPagador": "fatura marco"},
  {"endToEndId": "E12345678202603051200abcdef00002", "txid": "nao-existe", "valor": "10.00",
   "horario": "2026-03-05T12:00:00Z"}]})";

struct Book : ApiFixture {
  Book() {
    seed_customer("c1");
    seed_invoice("i1", "c1", "49.90", *parse_date("2026-03-01"));
  }
  std::int64_t payments() { return count("SELECT COUNT(*) FROM payments"); }
  std::int64_t alerts() { return count("SELECT COUNT(*) FROM alerts WHERE kind = 'unmatched_payment'"); }
};

}  // namespace

// A PIX callback pays the invoice named by txid; a credit that matches nothing becomes an alert.
TEST_CASE("bank hook: a PIX callback pays by txid and raises unmatched money", "[http][bank]") {
  Book api;
  const auto reply = api.signed_call("/v1/hooks/bank/bank-pix", kPix, kBankNewSecret, "pix-1");
  CHECK(reply.status == 200);
  const auto body = reply.json();
  REQUIRE(body["payments"].size() == 1);
  CHECK(body["payments"][0]["invoice_id"] == "i1");
  CHECK(body["payments"][0]["status"] == "confirmed");
  CHECK(body["payments"][0]["outcome"] == "created");
  REQUIRE(body["unmatched"].size() == 1);
  CHECK(body["unmatched"][0]["txid"] == "nao-existe");

  const auto paid = api.db().payment("E12345678202603051200abcdef00001");
  REQUIRE(paid);
  CHECK(paid->method == "pix");
  CHECK(paid->source == "bank-pix");
  CHECK(paid->status == PaymentStatus::confirmed);
  CHECK(format_date(paid->received_on) == "2026-03-05");  // 01:30 in São Paulo, whatever UTC says
  CHECK(api.db().invoice("i1")->balance.minor == 0);
  CHECK(api.alerts() == 1);

  const auto replay = api.signed_call("/v1/hooks/bank/bank-pix", kPix, kBankOldSecret, "pix-1");
  CHECK(replay.status == 200);
  CHECK(replay.json()["duplicate"] == true);
  CHECK(api.payments() == 1);
  CHECK(api.alerts() == 1);  // the replay raised nothing new either
}

// A source that does not confirm payments records PIX credits as pending.
TEST_CASE("bank hook: a source that may not confirm records pending payments", "[http]") {
  Book api;
  CHECK(api.signed_call("/v1/hooks/bank/noc-in", kPix, kNocSecret, "pix-1").status == 200);
  CHECK(api.db().payment("E12345678202603051200abcdef00001")->status == PaymentStatus::pending);
  CHECK(api.db().invoice("i1")->balance.minor == 4990);
}

// A body without "pix" is one payment, as on POST /v1/payments.
TEST_CASE("bank hook: a plain payment body", "[http]") {
  Book api;
  const std::string body = R"({"id": "b1", "invoice_id": "i1", "amount": "49.90", "currency": "BRL",
                               "status": "confirmed", "received_on": "2026-03-05"})";
  const auto reply = api.signed_call("/v1/hooks/bank/bank-pix", body, kBankNewSecret, "b-1");
  CHECK(reply.status == 201);
  CHECK(api.db().payment("b1")->source == "bank-pix");
}

// Unknown sources, bad signatures, stale timestamps, bad bodies and big bodies write nothing.
TEST_CASE("bank hook refusals", "[http]") {
  Book api;
  const auto unknown = api.signed_call("/v1/hooks/bank/nobody", kPix, kBankNewSecret, "pix-1");
  CHECK(unknown.status == 404);
  CHECK(unknown.error_code() == "unknown_source");
  const auto other_source = api.signed_call("/v1/hooks/bank/noc-in", kPix, kBankNewSecret, "pix-1");
  CHECK(other_source.status == 401);
  CHECK(other_source.error_code() == "bad_signature");
  const auto unsigned_call = http_request("POST", api.url("/v1/hooks/bank/bank-pix"), kPix);
  CHECK(unsigned_call.status == 401);
  CHECK(unsigned_call.error_code() == "missing_signature");
  const auto bearer = api.call("POST", "/v1/hooks/bank/bank-pix", kPix, kErpToken);
  CHECK(bearer.status == 401);  // a token is not a signature
  const auto stale = api.signed_call("/v1/hooks/bank/bank-pix", kPix, kBankNewSecret, "pix-1",
                                     api.now() - std::chrono::minutes{6});
  CHECK(stale.status == 401);
  CHECK(stale.error_code() == "stale_timestamp");
  const auto malformed = api.signed_call("/v1/hooks/bank/bank-pix", "{\"pix\": [", kBankNewSecret, "pix-1");
  CHECK(malformed.status == 400);
  CHECK(malformed.error_code() == "malformed_json");
  const auto number = api.signed_call("/v1/hooks/bank/bank-pix",
                                      R"({"pix": [{"endToEndId": "E1", "txid": "i1", "valor": 49.9,
                                                   "horario": "2026-03-05T12:00:00Z"}]})",
                                      kBankNewSecret, "pix-1");
  CHECK(number.status == 400);
  CHECK(number.error_code() == "wrong_type");
  CHECK(number.error_field() == "pix[0].valor");
  const auto when = api.signed_call("/v1/hooks/bank/bank-pix",
                                    R"({"pix": [{"endToEndId": "E1", "txid": "i1", "valor": "49.90",
                                                 "horario": "ontem"}]})",
                                    kBankNewSecret, "pix-1");
  CHECK(when.status == 400);
  CHECK(when.error_field() == "pix[0].horario");
  std::string big = kPix;
  big.resize(1024 * 1024 + 1, ' ');
  const auto too_big = api.signed_call("/v1/hooks/bank/bank-pix", big, kBankNewSecret, "pix-1");
  CHECK(too_big.status == 413);
  CHECK(api.payments() == 0);
  CHECK(api.alerts() == 0);
  CHECK(api.count("SELECT COUNT(*) FROM webhook_receipts") == 0);
}

// One refused credit refuses the whole notification: the credit before it is not written either.
TEST_CASE("bank hook: a notification is applied whole or not at all", "[http]") {
  Book api;
  REQUIRE(api.call("POST", "/v1/payments",
                   R"({"id": "E2", "invoice_id": "i1", "amount": "1.00", "currency": "BRL",
      "status": "confirmed", "received_on": "2026-03-04"})",
                   kErpToken)
              .status == 201);
  // noc-in may not confirm, so it may not rewrite the confirmed payment E2: the second credit fails.
  const std::string pix = R"({"pix": [
    {"endToEndId": "E1", "txid": "i1", "valor": "5.00", "horario": "2026-03-05T12:00:00Z"},
    {"endToEndId": "E2", "txid": "i1", "valor": "1.00", "horario": "2026-03-05T12:00:00Z"}]})";
  const auto reply = api.signed_call("/v1/hooks/bank/noc-in", pix, kNocSecret, "pix-7");
  CHECK(reply.status == 403);
  CHECK(reply.error_code() == "confirmation_not_allowed");
  CHECK(!api.db().payment("E1"));
  CHECK(api.count("SELECT COUNT(*) FROM webhook_receipts") == 0);
  CHECK(api.count("SELECT COUNT(*) FROM audit WHERE event = 'payment_created' AND details LIKE '%\"E1\"%'") ==
        0);
}

// The specification's known-answer vector verifies over HTTP; one flipped byte of body, id or
// timestamp does not.
TEST_CASE("bank hook: the Standard Webhooks known-answer vector", "[http]") {
  Book api;
  api.set_now(from_unix(1614265330));
  const std::string body = R"({"test": 2432232314})";
  const HeaderList vector{{"webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek"},
                          {"webhook-timestamp", "1614265330"},
                          {"webhook-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="}};
  const auto good = http_request("POST", api.url("/v1/hooks/bank/vector"), body, vector);
  // The signature passed; the body is not a payment, which is the next check.
  CHECK(good.status == 400);
  CHECK(good.error_code() == "unknown_field");
  CHECK(good.error_field() == "test");

  auto flipped_body = body;
  flipped_body[10] ^= 1;
  CHECK(http_request("POST", api.url("/v1/hooks/bank/vector"), flipped_body, vector).error_code() ==
        "bad_signature");
  auto flipped_id = vector;
  flipped_id[0].second.back() ^= 1;
  CHECK(http_request("POST", api.url("/v1/hooks/bank/vector"), body, flipped_id).error_code() ==
        "bad_signature");
  auto flipped_time = vector;
  flipped_time[1].second.back() ^= 1;
  CHECK(http_request("POST", api.url("/v1/hooks/bank/vector"), body, flipped_time).error_code() ==
        "bad_signature");
}
