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
