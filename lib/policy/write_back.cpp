// Implements policy/write_back.hpp.
#include "policy/write_back.hpp"

#include <nlohmann/json.hpp>

#include "domain/source_ids.hpp"
#include "policy/action_key.hpp"

namespace cobrador::policy {

std::string write_back_key(std::int64_t customer_id, std::int64_t payment_id, std::string_view panel) {
  return ActionKey::of_payment(customer_id, payment_id).then(kPaymentStage, ActionKind::event, panel).text();
}

namespace {

nlohmann::json payment_fields(const PaymentWriteBack& payment, std::string_view source,
                              std::string_view gateway) {
  // The billing system's own invoice id: the source's prefix taken off.
  const auto invoice = std::string(own_id(payment.invoice, source).value_or(payment.invoice));
  return {{"id", payment.payment},
          {"invoice", invoice},
          {"transaction", payment.entry},
          {"amount", format_amount(payment.amount)},
          {"currency", std::string(payment.amount.currency.code())},
          {"date", format_date(payment.paid_on)},
          {"gateway", gateway}};
}

Action event_action(const PaymentWriteBack& payment, std::string_view stage, std::string_view panel,
                    nlohmann::json payload, Instant now) {
  Action action;
  action.key = ActionKey::of_payment(payment.customer_id, payment.payment_id)
                   .then(stage, ActionKind::event, panel)
                   .text();
  action.kind = ActionKind::event;
  action.customer_id = payment.customer_id;
  action.stage = std::string(stage);
  action.target = "payment:" + payment.payment;
  action.payload = payload.dump();
  action.next_attempt_at = now;
  action.created_at = now;
  return action;
}

}  // namespace

Action write_back_action(const PaymentWriteBack& payment, std::string_view source, std::string_view panel,
                         std::string_view gateway, Instant now) {
  return event_action(payment, kPaymentStage, panel,
                      {{"event", "payment.write_back"},
                       {"service", {{"panel", panel}}},
                       {"payment", payment_fields(payment, source, gateway)}},
                      now);
}

Action return_write_back_action(const ReturnWriteBack& returned, std::string_view reason_text,
                                std::string_view source, std::string_view panel, std::string_view gateway,
                                Instant now) {
  auto fields = payment_fields(returned.payment, source, gateway);
  std::string reason(returned.reason.empty() ? "no reason code" : returned.reason);
  if (!reason_text.empty()) reason += " " + std::string(reason_text);
  fields["returned"] = {
      {"transaction", returned.entry}, {"date", format_date(returned.returned_on)}, {"reason", reason}};
  return event_action(returned.payment, kReturnStage, panel,
                      {{"event", "payment.returned"}, {"service", {{"panel", panel}}}, {"payment", fields}},
                      now);
}

}  // namespace cobrador::policy
