// The write-back of bank money to a billing system (policy/write_back.hpp): one action per
// payment, its key the payment's, its payload what the billing panel needs.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "policy/write_back.hpp"
#include "util/instant.hpp"

using namespace cobrador;

TEST_CASE("a bank payment of a source's invoice becomes one write-back action", "[policy]") {
  policy::PaymentWriteBack payment;
  payment.payment_id = 7;
  payment.payment = "camt:BR18:E2E:1";
  payment.customer_id = 3;
  payment.invoice = "w1:1001";
  payment.amount = *parse_money("49.90", *Currency::parse("BRL"));
  payment.paid_on = *parse_date("2026-12-02");
  payment.entry = "camt:BR18:E2E:1";
  const auto now = *parse_instant("2026-12-02T12:00:00Z");
  const auto action = policy::write_back_action(payment, "w1", "billing", "banktransfer", now);
  CHECK(action.key == "c3:payment7:payment:event:billing");
  CHECK(action.key == policy::write_back_key(3, 7, "billing"));
  CHECK(action.kind == ActionKind::event);
  CHECK(action.customer_id == 3);
  CHECK(action.episode_id == 0);
  CHECK(action.stage == "payment");
  CHECK(action.next_attempt_at == now);
  const auto payload = nlohmann::json::parse(action.payload);
  CHECK(payload["service"]["panel"] == "billing");
  CHECK(payload["payment"] == nlohmann::json{{"id", "camt:BR18:E2E:1"},
                                             {"invoice", "1001"},
                                             {"transaction", "camt:BR18:E2E:1"},
                                             {"amount", "49.90"},
                                             {"currency", "BRL"},
                                             {"date", "2026-12-02"},
                                             {"gateway", "banktransfer"}});
  // The same payment through another panel is another action; another payment another key.
  CHECK(policy::write_back_key(3, 7, "foss") != action.key);
  CHECK(policy::write_back_key(3, 8, "billing") != action.key);
}

// A return of a payment written back: its own key (stage `return`), the payment as written back,
// and the return's entry, day and reason in words.
TEST_CASE("a returned payment becomes one report action of its own", "[policy]") {
  policy::ReturnWriteBack returned;
  returned.payment.payment_id = 7;
  returned.payment.payment = "camt:BR18:E2E:1";
  returned.payment.customer_id = 3;
  returned.payment.invoice = "w1:1001";
  returned.payment.amount = *parse_money("49.90", *Currency::parse("BRL"));
  returned.payment.paid_on = *parse_date("2026-12-02");
  returned.payment.entry = "camt:BR18:E2E:1";
  returned.entry = "csv:RET-77";
  returned.reason = "MS03";
  returned.returned_on = *parse_date("2026-12-05");
  const auto now = *parse_instant("2026-12-05T12:00:00Z");
  const auto action =
      policy::return_write_back_action(returned, "insufficient funds", "w1", "billing", "banktransfer", now);
  CHECK(action.key == "c3:payment7:return:event:billing");
  CHECK(action.key != policy::write_back_key(3, 7, "billing"));
  CHECK(action.stage == "return");
  CHECK(action.kind == ActionKind::event);
  const auto payload = nlohmann::json::parse(action.payload);
  CHECK(payload["event"] == "payment.returned");
  CHECK(payload["payment"]["invoice"] == "1001");
  CHECK(payload["payment"]["transaction"] == "camt:BR18:E2E:1");
  CHECK(payload["payment"]["returned"] == nlohmann::json{{"transaction", "csv:RET-77"},
                                                         {"date", "2026-12-05"},
                                                         {"reason", "MS03 insufficient funds"}});
  // A return without a code still says so.
  returned.reason.clear();
  const auto bare =
      nlohmann::json::parse(policy::return_write_back_action(returned, "", "w1", "billing", "", now).payload);
  CHECK(bare["payment"]["returned"]["reason"] == "no reason code");
}
