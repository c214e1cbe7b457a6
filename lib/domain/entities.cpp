// Implements the names of the entities' enumerations, as they appear in files, the API and
// the store.
#include "domain/entities.hpp"

#include <array>
#include <utility>

namespace cobrador {

namespace {

template <class E, std::size_t N>
using Names = std::array<std::pair<E, std::string_view>, N>;

constexpr Names<ServiceKind, 5> kServiceKinds{{{ServiceKind::hosting, "hosting"},
                                               {ServiceKind::vps, "vps"},
                                               {ServiceKind::internet, "internet"},
                                               {ServiceKind::phone, "phone"},
                                               {ServiceKind::other, "other"}}};
constexpr Names<ServiceState, 6> kServiceStates{{{ServiceState::active, "active"},
                                                 {ServiceState::suspended, "suspended"},
                                                 {ServiceState::locked, "locked"},
                                                 {ServiceState::cancelling, "cancelling"},
                                                 {ServiceState::cancelled, "cancelled"},
                                                 {ServiceState::purged, "purged"}}};
constexpr Names<InvoiceStatus, 3> kInvoiceStatuses{
    {{InvoiceStatus::open, "open"}, {InvoiceStatus::paid, "paid"}, {InvoiceStatus::void_, "void"}}};
constexpr Names<PaymentStatus, 5> kPaymentStatuses{{{PaymentStatus::claimed, "claimed"},
                                                    {PaymentStatus::pending, "pending"},
                                                    {PaymentStatus::confirmed, "confirmed"},
                                                    {PaymentStatus::rejected, "rejected"},
                                                    {PaymentStatus::returned, "returned"}}};
constexpr Names<ActionKind, 7> kActionKinds{{{ActionKind::notify, "notify"},
                                             {ActionKind::suspend, "suspend"},
                                             {ActionKind::unsuspend, "unsuspend"},
                                             {ActionKind::terminate, "terminate"},
                                             {ActionKind::backup, "backup"},
                                             {ActionKind::purge, "purge"},
                                             {ActionKind::event, "event"}}};
constexpr Names<ActionState, 6> kActionStates{{{ActionState::pending, "pending"},
                                               {ActionState::in_flight, "in_flight"},
                                               {ActionState::done, "done"},
                                               {ActionState::failed, "failed"},
                                               {ActionState::dead, "dead"},
                                               {ActionState::cancelled, "cancelled"}}};

template <class E, std::size_t N>
std::string_view name_of(const Names<E, N>& names, E value) {
  for (const auto& [v, name] : names) {
    if (v == value) return name;
  }
  return "?";
}

template <class E, std::size_t N>
std::optional<E> value_of(const Names<E, N>& names, std::string_view text) {
  for (const auto& [v, name] : names) {
    if (name == text) return v;
  }
  return std::nullopt;
}

}  // namespace

std::string_view to_string(ServiceKind value) { return name_of(kServiceKinds, value); }
std::string_view to_string(ServiceState value) { return name_of(kServiceStates, value); }
std::string_view to_string(InvoiceStatus value) { return name_of(kInvoiceStatuses, value); }
std::string_view to_string(PaymentStatus value) { return name_of(kPaymentStatuses, value); }
std::string_view to_string(ActionKind value) { return name_of(kActionKinds, value); }
std::string_view to_string(ActionState value) { return name_of(kActionStates, value); }

std::optional<ServiceKind> parse_service_kind(std::string_view t) { return value_of(kServiceKinds, t); }
std::optional<ServiceState> parse_service_state(std::string_view t) { return value_of(kServiceStates, t); }
std::optional<InvoiceStatus> parse_invoice_status(std::string_view t) {
  return value_of(kInvoiceStatuses, t);
}
std::optional<PaymentStatus> parse_payment_status(std::string_view t) {
  return value_of(kPaymentStatuses, t);
}
std::optional<ActionKind> parse_action_kind(std::string_view t) { return value_of(kActionKinds, t); }
std::optional<ActionState> parse_action_state(std::string_view t) { return value_of(kActionStates, t); }

}  // namespace cobrador
