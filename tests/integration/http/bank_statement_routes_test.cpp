// POST /v1/bank-statements over real HTTP with the real fixture files as raw bodies: the same
// import as cobradorctl (a suspended customer's unsuspend queued before the answer), a second
// upload adding nothing, the confirmation rule, and a bad file writing nothing.
#include <catch2/catch.hpp>

#include "api_fixture.hpp"
#include "service/import.hpp"
#include "support/temp_dir.hpp"
#include "walk/walk.hpp"

using namespace cobrador;
using namespace cobrador::testing;

namespace {

std::string fixture(const std::string& relative) {
  return read_file(std::string(COBRADOR_FIXTURES_DIR) + "/" + relative);
}

const std::string kCamt054 = "camt/viafintech-camt054.v4.returns.xml";
const std::string kFirstCredit = "camt:CH0309000000250090342:20160410375244000000000000000081:1";

// c1 owes invoice "132" (15.00 CHF, named by the camt.054 fixture's first credit); the walk
// suspends its service s-c1 on Monday 9 March, and the API's clock is then the 10th.
struct SuspendedBook : ApiFixture {
  SuspendedBook() {
    seed_customer("c1");
    seed_invoice("132", "c1", "15.00", *parse_date("2026-03-04"), "CHF");
    for (auto day = *parse_date("2026-03-05"); day <= *parse_date("2026-03-09"); day += date::days{1}) {
      walk::walk(db(), policy(), policy().instant_at(day, policy().run_at_minute));
      store::ActionFilter pending;
      pending.state = ActionState::pending;
      store::in_transaction(db(), [&] {
        for (const auto& a : db().actions(pending)) db().complete_action(a.id, a.next_attempt_at, "done");
      });
    }
    REQUIRE(db().service("s-c1")->state == ServiceState::suspended);
    set_now(*parse_instant("2026-03-10T12:00:00Z"));
  }

  Reply upload(const std::string& body, const std::string& token, const std::string& query = "") {
    return call("POST", "/v1/bank-statements" + query, body, token, {{"content-type", "application/xml"}});
  }
  std::int64_t written() {
    return count(
        "SELECT (SELECT COUNT(*) FROM payments) + (SELECT COUNT(*) FROM bank_entries) + "
        "(SELECT COUNT(*) FROM bank_imports) + (SELECT COUNT(*) FROM alerts)");
  }
};

}  // namespace

TEST_CASE("bank statements: a camt.054 upload pays, reactivates and is applied once", "[http][bank]") {
  SuspendedBook api;
  const auto reply = api.upload(fixture(kCamt054), kErpToken, "?source=bank-ch&filename=notif.xml");
  REQUIRE(reply.status == 200);
  const auto body = reply.json();
  CHECK(body["format"] == "camt.054");
  CHECK(body["source"] == "bank-ch");
  CHECK(body["filename"] == "notif.xml");
  CHECK(body["matched"] == 1);
  CHECK(body["unmatched"] == 4);  // two credits that pay nothing here, two returns of unknown payments
  CHECK(body["returned"] == 0);
  REQUIRE(body["entries"].size() == 5);
  CHECK(body["entries"][0]["outcome"] == "matched");
  CHECK(body["entries"][0]["invoice_id"] == "132");
  CHECK(body["entries"][0]["payment_id"] == kFirstCredit);

  // Written before the answer went out: the payment, and the unsuspend of s-c1.
  const auto payment = api.db().payment(kFirstCredit);
  REQUIRE(payment);
  CHECK(payment->status == PaymentStatus::confirmed);
  CHECK(payment->source == "bank-ch");
  store::ActionFilter unsuspends;
  unsuspends.kind = ActionKind::unsuspend;
  const auto queued = api.db().actions(unsuspends);
  REQUIRE(queued.size() == 1);
  CHECK(queued[0].target == "s-c1");
  CHECK(api.count("SELECT COUNT(*) FROM audit WHERE actor = 'bank:bank-ch' AND event = 'payment_created'") ==
        1);
  CHECK(api.count(
            "SELECT COUNT(*) FROM audit WHERE actor = 'billing' AND event = 'bank_statement_imported'") == 1);
  CHECK(api.count("SELECT COUNT(*) FROM alerts") == 4);

  const auto before = api.written();
  const auto again = api.upload(fixture(kCamt054), kErpToken, "?source=bank-ch");
  REQUIRE(again.status == 200);
  CHECK(again.json()["already_imported"] == 5);
  CHECK(again.json()["matched"] == 0);
  CHECK(api.written() == before);
  CHECK(api.db().actions(unsuspends).size() == 1);
}

TEST_CASE("bank statements: only callers allowed to confirm may upload", "[http][bank]") {
  SuspendedBook api;
  const auto refused = api.upload(fixture(kCamt054), kBillingToken);
  CHECK(refused.status == 403);
  CHECK(refused.error_code() == "confirmation_not_allowed");
  CHECK(api.upload(fixture(kCamt054), kReaderToken).error_code() == "insufficient_scope");
  CHECK(api.upload(fixture(kCamt054), "").status == 401);
  CHECK(api.written() == 0);

  // An operator may: the Santander return file's boleto names no invoice here.
  const auto santander = api.upload(fixture("cnab240/laravel-boleto-santander.ret"), kOperatorToken);
  REQUIRE(santander.status == 200);
  CHECK(santander.json()["format"] == "CNAB 240");
  CHECK(santander.json()["unmatched"] == 1);
  CHECK(santander.json()["source"] == "upload");
}

TEST_CASE("bank statements: a bad file is refused naming its place, and nothing is written", "[http][bank]") {
  SuspendedBook api;
  const auto camt = fixture(kCamt054);
  const auto cut = api.upload(camt.substr(0, camt.size() / 2), kErpToken, "?filename=notif.xml");
  CHECK(cut.status == 400);
  CHECK(cut.error_code() == "invalid_statement");
  CHECK(cut.error_field() == "body");
  CHECK(cut.json()["error"]["message"].get<std::string>().rfind("notif.xml: line ", 0) == 0);

  auto bb = fixture("cnab240/laravel-boleto-banco_brasil.ret");
  bb[bb.find('\n') + 1 + 7] = 'X';  // line 2's record type (column 8)
  const auto cnab = api.upload(bb, kErpToken, "?filename=bb.ret");
  CHECK(cnab.status == 400);
  CHECK(cnab.json()["error"]["message"].get<std::string>().rfind("bb.ret: line 2: ", 0) == 0);

  CHECK(api.upload("", kErpToken).error_code() == "invalid_statement");
  CHECK(api.written() == 0);
  CHECK(api.db().service("s-c1")->state == ServiceState::suspended);
}
