// Implements the JSON of stored entities.
#include "http/entity_json.hpp"

namespace cobrador::http {

namespace {

using nlohmann::json;

json optional_date(const std::optional<Date>& day) { return day ? json(format_date(*day)) : json(nullptr); }

}  // namespace

json customer_json(const Customer& c) {
  return {{"id", c.ext_id},
          {"name", c.name},
          {"email", c.emails},
          {"phone", c.phones},
          {"locale", c.locale},
          {"customer_since", optional_date(c.customer_since)},
          {"tags", c.tags},
          {"exempt_until", optional_date(c.exempt_until)},
          {"responsible", c.responsible}};
}

json service_json(const Service& s) {
  return {{"id", s.ext_id},
          {"customer_id", s.customer_ext_id},
          {"kind", to_string(s.kind)},
          {"panel", s.panel},
          {"account", s.account},
          {"state", to_string(s.state)},
          {"suspend_reason", s.suspend_reason},
          {"recurring_amount", s.recurring_amount ? json(format_amount(*s.recurring_amount)) : json(nullptr)},
          {"recurring_currency",
           s.recurring_amount ? json(std::string(s.recurring_amount->currency.code())) : json(nullptr)}};
}

json invoice_json(const store::InvoiceBalance& found) {
  const auto& inv = found.invoice;
  return {{"id", inv.ext_id},
          {"customer_id", inv.customer_ext_id},
          {"services", inv.services},
          {"amount", format_amount(inv.amount)},
          {"currency", inv.amount.currency.code()},
          {"issued_on", format_date(inv.issued_on)},
          {"due_on", format_date(inv.due_on)},
          {"status", to_string(inv.status)},
          {"balance", format_amount(found.balance)}};
}

json payment_json(const Payment& p) {
  json out{{"id", p.ext_id},
           {"invoice_id", p.invoice_ext_id},
           {"amount", format_amount(p.amount)},
           {"currency", p.amount.currency.code()},
           {"method", p.method},
           {"source", p.source},
           {"reference", p.reference},
           {"status", to_string(p.status)},
           {"received_on", format_date(p.received_on)}};
  if (p.status == PaymentStatus::returned) out["return_reason"] = p.return_reason;
  return out;
}

}  // namespace cobrador::http
