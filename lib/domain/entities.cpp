// Implements the names of the entities' enumerations, as they appear in files, the API and
// the store.
#include "domain/entities.hpp"

namespace cobrador {

std::string_view to_string(ServiceKind value) { return name_of(kServiceKindNames, value); }
std::string_view to_string(ServiceState value) { return name_of(kServiceStateNames, value); }
std::string_view to_string(InvoiceStatus value) { return name_of(kInvoiceStatusNames, value); }
std::string_view to_string(PaymentStatus value) { return name_of(kPaymentStatusNames, value); }
std::string_view to_string(ActionKind value) { return name_of(kActionKindNames, value); }
std::string_view to_string(ActionState value) { return name_of(kActionStateNames, value); }

std::optional<ServiceKind> parse_service_kind(std::string_view t) {
  return value_named(kServiceKindNames, t);
}
std::optional<ServiceState> parse_service_state(std::string_view t) {
  return value_named(kServiceStateNames, t);
}
std::optional<InvoiceStatus> parse_invoice_status(std::string_view t) {
  return value_named(kInvoiceStatusNames, t);
}
std::optional<PaymentStatus> parse_payment_status(std::string_view t) {
  return value_named(kPaymentStatusNames, t);
}
std::optional<ActionKind> parse_action_kind(std::string_view t) { return value_named(kActionKindNames, t); }
std::optional<ActionState> parse_action_state(std::string_view t) {
  return value_named(kActionStateNames, t);
}

}  // namespace cobrador
