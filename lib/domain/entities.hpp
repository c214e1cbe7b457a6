// The entities of SPEC §3 as plain values. Ids: `id` is the store's own number, `ext_id` the
// billing system's identifier that imports and the API use.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/date.hpp"
#include "domain/money.hpp"
#include "util/enum_names.hpp"

namespace cobrador {

enum class ServiceKind { hosting, vps, internet, phone, other };
enum class ServiceState { active, suspended, locked, cancelling, cancelled, purged };
enum class InvoiceStatus { open, paid, void_ };
enum class PaymentStatus { claimed, pending, confirmed, rejected, returned };
enum class ActionKind { notify, suspend, unsuspend, terminate, backup, purge, event };
enum class ActionState { pending, in_flight, done, failed, dead, cancelled };

// The words of each value, as files, the API and the store write them; the order is the one
// messages list them in ("'x' is not one of open, paid, void").
inline constexpr EnumName<ServiceKind> kServiceKindNames[]{
    {ServiceKind::hosting, "hosting"}, {ServiceKind::vps, "vps"},     {ServiceKind::internet, "internet"},
    {ServiceKind::phone, "phone"},     {ServiceKind::other, "other"},
};
inline constexpr EnumName<ServiceState> kServiceStateNames[]{
    {ServiceState::active, "active"},       {ServiceState::suspended, "suspended"},
    {ServiceState::locked, "locked"},       {ServiceState::cancelling, "cancelling"},
    {ServiceState::cancelled, "cancelled"}, {ServiceState::purged, "purged"},
};
inline constexpr EnumName<InvoiceStatus> kInvoiceStatusNames[]{
    {InvoiceStatus::open, "open"}, {InvoiceStatus::paid, "paid"}, {InvoiceStatus::void_, "void"}};
inline constexpr EnumName<PaymentStatus> kPaymentStatusNames[]{
    {PaymentStatus::claimed, "claimed"},     {PaymentStatus::pending, "pending"},
    {PaymentStatus::confirmed, "confirmed"}, {PaymentStatus::rejected, "rejected"},
    {PaymentStatus::returned, "returned"},
};
inline constexpr EnumName<ActionKind> kActionKindNames[]{
    {ActionKind::notify, "notify"},       {ActionKind::suspend, "suspend"},
    {ActionKind::unsuspend, "unsuspend"}, {ActionKind::terminate, "terminate"},
    {ActionKind::backup, "backup"},       {ActionKind::purge, "purge"},
    {ActionKind::event, "event"},
};
inline constexpr EnumName<ActionState> kActionStateNames[]{
    {ActionState::pending, "pending"}, {ActionState::in_flight, "in_flight"},
    {ActionState::done, "done"},       {ActionState::failed, "failed"},
    {ActionState::dead, "dead"},       {ActionState::cancelled, "cancelled"},
};

std::string_view to_string(ServiceKind value);
std::string_view to_string(ServiceState value);
std::string_view to_string(InvoiceStatus value);
std::string_view to_string(PaymentStatus value);
std::string_view to_string(ActionKind value);
std::string_view to_string(ActionState value);

// Each returns nullopt for a word that is not one of the values (callers say where).
std::optional<ServiceKind> parse_service_kind(std::string_view text);
std::optional<ServiceState> parse_service_state(std::string_view text);
std::optional<InvoiceStatus> parse_invoice_status(std::string_view text);
std::optional<PaymentStatus> parse_payment_status(std::string_view text);
std::optional<ActionKind> parse_action_kind(std::string_view text);
std::optional<ActionState> parse_action_state(std::string_view text);

// The reason a service is suspended for when the walk did it.
inline constexpr std::string_view kNonPayment = "non_payment";
// The tag that keeps a customer out of dunning altogether.
inline constexpr std::string_view kNoDunningTag = "no-dunning";

struct Customer {
  std::int64_t id = 0;
  std::string ext_id;
  std::string name;
  std::vector<std::string> emails;
  std::vector<std::string> phones;
  std::string locale = "en";
  std::optional<Date> customer_since;
  std::vector<std::string> tags;
  std::optional<Date> exempt_until;
  // Who may cancel or change the contract (names, e-mails or phones, as the billing system
  // keeps them); empty: anyone who can reach support (docs/tasks.md).
  std::vector<std::string> responsible;
};

struct Service {
  std::int64_t id = 0;
  std::string ext_id;
  std::int64_t customer_id = 0;
  std::string customer_ext_id;
  ServiceKind kind = ServiceKind::other;
  std::string panel;
  std::string account;
  ServiceState state = ServiceState::active;
  std::string suspend_reason;  // non_payment, or the operator's reason
  // The billing system's recurring price of the service (a month's fee), imported; nullopt
  // when it never said. What reactivation after a lock and re-engagement ask to be paid.
  std::optional<Money> recurring_amount;
};

struct Invoice {
  std::int64_t id = 0;
  std::string ext_id;
  std::int64_t customer_id = 0;
  std::string customer_ext_id;
  std::vector<std::string> services;  // service ext ids; empty = all of the customer's
  Money amount;
  Date issued_on;
  Date due_on;
  InvoiceStatus status = InvoiceStatus::open;
};

struct Payment {
  std::int64_t id = 0;
  std::string ext_id;
  std::int64_t invoice_id = 0;
  std::string invoice_ext_id;
  Money amount;
  std::string method;
  std::string source;
  std::string reference;
  std::string evidence;
  PaymentStatus status = PaymentStatus::pending;
  Date received_on;
  std::string return_reason;  // a `returned` payment's reason code (MD06, AM04, a CNAB code...)
};

struct Action {
  std::int64_t id = 0;
  std::string key;  // the idempotency key, unique
  ActionKind kind = ActionKind::notify;
  std::int64_t customer_id = 0;
  std::int64_t episode_id = 0;  // 0 when the action belongs to no episode
  std::string stage;
  std::string target;
  std::string payload;  // JSON
  ActionState state = ActionState::pending;
  int attempts = 0;
  Instant next_attempt_at;
  std::string last_error;
  Instant created_at;
  std::optional<Instant> done_at;
};

struct AuditEntry {
  std::int64_t id = 0;
  Instant at;
  std::string actor;    // system, operator:<name>, customer, billing, panel:<name>, bank:<source>
  std::string subject;  // customer:<ext>, service:<ext>, invoice:<ext>, payment:<ext>, action:<key>
  std::string event;
  std::string details;  // JSON
};

}  // namespace cobrador
