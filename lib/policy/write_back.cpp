// Implements policy/write_back.hpp.
#include "policy/write_back.hpp"

#include <nlohmann/json.hpp>

#include "policy/action_key.hpp"

namespace cobrador::policy {

std::string write_back_key(std::int64_t customer_id, std::int64_t payment_id, std::string_view panel) {
  return ActionKey::of_payment(customer_id, payment_id).then(kPaymentStage, ActionKind::event, panel).text();
}

Action write_back_action(const PaymentWriteBack& payment, std::string_view source, std::string_view panel,
                         std::string_view gateway, Instant now) {
  // The billing system's own invoice id: the source's prefix taken off.
  const std::string prefix = std::string(source) + ":";
  const auto invoice =
      payment.invoice.rfind(prefix, 0) == 0 ? payment.invoice.substr(prefix.size()) : payment.invoice;
  Action action;
  action.key = write_back_key(payment.customer_id, payment.payment_id, panel);
  action.kind = ActionKind::event;
  action.customer_id = payment.customer_id;
  action.stage = std::string(kPaymentStage);
  action.target = "payment:" + payment.payment;
  action.payload = nlohmann::json{
      {"event", "payment.write_back"},
      {"service", {{"panel", panel}}},
      {"payment",
       {{"id", payment.payment},
        {"invoice", invoice},
        {"transaction", payment.entry},
        {"amount", format_amount(payment.amount)},
        {"currency", std::string(payment.amount.currency.code())},
        {"date", format_date(payment.paid_on)},
        {"gateway",
         gateway}}}}.dump();
  action.next_attempt_at = now;
  action.created_at = now;
  return action;
}

}  // namespace cobrador::policy
