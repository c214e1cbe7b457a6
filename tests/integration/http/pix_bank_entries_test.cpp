// A PIX callback from a source that confirms payments goes the way of a statement line: it
// confirms the customer's claim instead of adding a payment, an endToEndId is recorded once
// whatever webhook-id delivers it, and unmatched money is listed for the operator.
#include <catch2/catch.hpp>

#include "api_fixture.hpp"
#include "service/billing.hpp"

using namespace cobrador;
using namespace cobrador::testing;

namespace {

const std::string kPix = R"({"pix": [
  {"endToEndId": "E12345678202603051200abcdef00001", "txid": "i1", "valor": "49.90",
   "horario": "2026-03-05T01:30:00.358-03:00"},
  {"endToEndId": "E12345678202603051200abcdef00002", "valor": "7.00", "horario": "2026-03-05T12:00:00Z"}]})";

struct Claimed : ApiFixture {
  Claimed() {
    seed_customer("c1");
    seed_invoice("i1", "c1", "49.90", *parse_date("2026-03-01"));
    store::in_transaction(db(), [&] {
      Payment claim{0,
                    "claim-1",
                    0,
                    "i1",
                    Money{4990, *Currency::parse("BRL")},
                    "pix",
                    "customer",
                    "comprovante",
                    "receipt.pdf",
                    PaymentStatus::claimed,
                    *parse_date("2026-03-04"),
                    ""};
      REQUIRE(service::put_payment(db(), claim, now(), {"customer", "test"}));
    });
  }
};

}  // namespace

TEST_CASE("bank hook: a confirming source's PIX confirms the claim and is recorded once", "[http][bank]") {
  Claimed api;
  const auto reply = api.signed_call("/v1/hooks/bank/bank-pix", kPix, kBankNewSecret, "pix-a");
  REQUIRE(reply.status == 200);
  const auto body = reply.json();
  REQUIRE(body["payments"].size() == 1);
  CHECK(body["payments"][0]["id"] == "claim-1");
  CHECK(body["payments"][0]["outcome"] == "updated");
  REQUIRE(body["unmatched"].size() == 1);
  CHECK(body["unmatched"][0]["endToEndId"] == "E12345678202603051200abcdef00002");
  CHECK(api.count("SELECT COUNT(*) FROM payments") == 1);  // the claim, now confirmed: no second row
  const auto claim = api.db().payment("claim-1");
  CHECK(claim->status == PaymentStatus::confirmed);
  CHECK(claim->evidence == "bank entry E12345678202603051200abcdef00001 (source bank-pix)");
  CHECK(format_date(claim->received_on) == "2026-03-05");
  CHECK(api.db().invoice("i1")->balance.minor == 0);
  CHECK(api.count("SELECT COUNT(*) FROM bank_entries WHERE outcome = 'unmatched'") == 1);

  // The same credits under another webhook-id (a bank that retries with new ids) add nothing.
  const auto again = api.signed_call("/v1/hooks/bank/bank-pix", kPix, kBankNewSecret, "pix-b");
  REQUIRE(again.status == 200);
  CHECK(again.json()["payments"].empty());
  CHECK(again.json()["already_recorded"].size() == 2);
  CHECK(api.count("SELECT COUNT(*) FROM payments") == 1);
  CHECK(api.count("SELECT COUNT(*) FROM alerts") == 1);
}
