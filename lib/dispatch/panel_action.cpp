// Implements dispatch/panel_action.hpp.
#include "dispatch/panel_action.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace cobrador::dispatch {

namespace {

using nlohmann::json;

std::optional<hooks::PanelCall::Kind> call_kind(ActionKind kind) {
  switch (kind) {
    case ActionKind::suspend:
      return hooks::PanelCall::Kind::suspend;
    case ActionKind::unsuspend:
      return hooks::PanelCall::Kind::unsuspend;
    case ActionKind::terminate:
      return hooks::PanelCall::Kind::terminate;
    case ActionKind::backup:
      return hooks::PanelCall::Kind::backup;
    // A purge removes the account and its data: the panel's terminate (docs/lifecycle.md).
    case ActionKind::purge:
      return hooks::PanelCall::Kind::terminate;
    default:
      return std::nullopt;
  }
}

std::string text_at(const json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

// {"service": {"panel": ...}, "payment": {"invoice", "transaction", "amount", "currency", "date",
// "gateway", and for a return "returned": {"transaction", "date", "reason"}}}: what
// policy::write_back_action and return_write_back_action write.
Result<PanelRequest> parse_payment_action(const Action& action) {
  const auto doc = json::parse(action.payload, nullptr, false);
  const auto service = doc.is_object() ? doc.find("service") : doc.end();
  const auto payment = doc.is_object() ? doc.find("payment") : doc.end();
  if (!doc.is_object() || service == doc.end() || !service->is_object() || payment == doc.end() ||
      !payment->is_object())
    return make_error("payment action payload: service and payment must be objects");
  PanelRequest request;
  request.panel = text_at(*service, "panel");
  if (request.panel.empty()) return make_error("payment action payload: service.panel is missing");
  request.call.idempotency_key = action.key;
  request.call.service_id = action.target;
  request.payment = hooks::PaymentRecord{action.key,
                                         text_at(*payment, "invoice"),
                                         text_at(*payment, "transaction"),
                                         text_at(*payment, "amount"),
                                         text_at(*payment, "currency"),
                                         text_at(*payment, "date"),
                                         text_at(*payment, "gateway"),
                                         std::nullopt};
  if (const auto returned = payment->find("returned"); returned != payment->end()) {
    if (!returned->is_object())
      return make_error("payment action payload: payment.returned must be an object");
    request.payment->returned = hooks::PaymentRecord::Return{
        text_at(*returned, "transaction"), text_at(*returned, "date"), text_at(*returned, "reason")};
  }
  return request;
}

Result<PanelRequest> parse_panel_action(const Action& action) {
  if (action.kind == ActionKind::event) return parse_payment_action(action);
  const auto kind = call_kind(action.kind);
  if (!kind) return make_error(fmt::format("no panel performs '{}' actions", to_string(action.kind)));
  const auto doc = json::parse(action.payload, nullptr, false);
  const auto service = doc.is_object() ? doc.find("service") : doc.end();
  if (!doc.is_object() || service == doc.end() || !service->is_object()) {
    return make_error("panel action payload: service must be an object");
  }
  PanelRequest request;
  request.panel = text_at(*service, "panel");
  if (request.panel.empty()) return make_error("panel action payload: service.panel is missing");
  auto& call = request.call;
  call.idempotency_key = action.key;
  call.kind = *kind;
  call.service_id = text_at(*service, "id");
  if (call.service_id.empty()) call.service_id = action.target;
  call.account = text_at(*service, "account");
  call.service_kind = text_at(*service, "kind");
  const auto customer = doc.find("customer");
  if (customer != doc.end() && customer->is_object()) call.customer_id = text_at(*customer, "id");
  // docs/panels.md: reason and mode go with suspensions and terminations only.
  if (action.kind == ActionKind::suspend || action.kind == ActionKind::terminate ||
      action.kind == ActionKind::purge) {
    call.reason = text_at(doc, "reason");
    call.mode = text_at(doc, "mode");
  }
  return request;
}

}  // namespace cobrador::dispatch
