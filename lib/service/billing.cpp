// Implements the shared billing writes: upsert, then an audit row when something changed.
#include "service/billing.hpp"

#include <optional>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "bank/return_reasons.hpp"
#include "service/causes.hpp"
#include "walk/walk.hpp"
#include "util/dump_json.hpp"

namespace cobrador::service {

namespace {

using nlohmann::json;

// The details of a change's audit row. Built member by member: an initializer list of pairs
// copies every value once more, and a bank import writes this row for each of its 100,000
// payments (docs/benchmarks.md).
std::string change_details(const std::string& ext_id, const std::string& source, json fields) {
  json details = json::object();
  details.emplace("id", ext_id);
  details.emplace("source", source);
  details.emplace("fields", std::move(fields));
  return dump_json(details);
}

AuditEntry change_audit(const std::string& customer_ext_id, std::string_view noun, std::string_view verb,
                        const std::string& ext_id, json fields, Instant now, const Origin& origin) {
  return {0,
          now,
          origin.actor,
          "customer:" + customer_ext_id,
          fmt::format("{}_{}", noun, verb),
          change_details(ext_id, origin.source, std::move(fields))};
}

void audit_change(store::AuditTrail& store, const std::string& customer_ext_id, std::string_view noun,
                  std::string_view verb, const std::string& ext_id, json fields, Instant now,
                  const Origin& origin) {
  store.audit(change_audit(customer_ext_id, noun, verb, ext_id, std::move(fields), now, origin));
}

// A payment's upsert and its audit row: a payment names its invoice, so its customer is read
// for the row's subject.
Result<store::UpsertOutcome> audited(store::BillingStore& store, Result<store::UpsertOutcome> outcome,
                                     std::string_view noun, const std::string& ext_id, json fields,
                                     Instant now, const Origin& origin) {
  if (!outcome || outcome->what == store::Upsert::unchanged) return outcome;
  audit_change(store, store.customer(outcome->customer_id)->ext_id, noun,
               outcome->what == store::Upsert::inserted ? "created" : "updated", ext_id, std::move(fields),
               now, origin);
  return outcome;
}

json payment_fields(const Payment& p) {
  json fields = json::object();
  fields.emplace("invoice_id", p.invoice_ext_id);
  fields.emplace("amount", format_amount(p.amount));
  fields.emplace("currency", p.amount.currency.code());
  fields.emplace("method", p.method);
  fields.emplace("source", p.source);
  fields.emplace("reference", p.reference);
  fields.emplace("status", to_string(p.status));
  fields.emplace("received_on", format_date(p.received_on));
  if (!p.return_reason.empty()) fields.emplace("return_reason", p.return_reason);
  return fields;
}

// The same row, with the same rule, as a bank statement's return writes (service/bank_import.cpp).
void audit_return(store::AuditTrail& store, const Payment& p, const std::string& customer_ext_id, Instant now,
                  const Origin& origin) {
  json details = json::object();
  details.emplace("payment", p.ext_id);
  details.emplace("invoice", p.invoice_ext_id);
  details.emplace("amount", format_amount(p.amount));
  details.emplace("currency", p.amount.currency.code());
  details.emplace("reason", p.return_reason);
  details.emplace("reason_text", std::string(bank::describe_return_reason(p.return_reason)));
  details.emplace("source", origin.source);
  details.emplace("rule", "a returned direct debit undoes its payment; the invoice is owed again");
  store.audit({0, now, origin.actor, "customer:" + customer_ext_id, "payment_returned", dump_json(details)});
}

std::string optional_date(const std::optional<Date>& day) { return day ? format_date(*day) : ""; }

json customer_fields(const Customer& c) {
  return {{"name", c.name},
          {"email", c.emails},
          {"phone", c.phones},
          {"locale", c.locale},
          {"customer_since", optional_date(c.customer_since)},
          {"tags", c.tags},
          {"exempt_until", optional_date(c.exempt_until)},
          {"responsible", c.responsible}};
}

json service_fields(const Service& s) {
  return {{"customer_id", s.customer_ext_id},
          {"kind", to_string(s.kind)},
          {"panel", s.panel},
          {"account", s.account},
          {"recurring_amount", s.recurring_amount ? json(format_amount(*s.recurring_amount)) : json(nullptr)},
          {"recurring_currency",
           s.recurring_amount ? json(std::string(s.recurring_amount->currency.code())) : json(nullptr)}};
}

json invoice_fields(const Invoice& inv) {
  return {{"customer_id", inv.customer_ext_id},      {"services", inv.services},
          {"amount", format_amount(inv.amount)},     {"currency", inv.amount.currency.code()},
          {"issued_on", format_date(inv.issued_on)}, {"due_on", format_date(inv.due_on)},
          {"status", to_string(inv.status)}};
}

ChangeNote note_of(const std::string& customer_ext_id, const std::string& ext_id, const std::string& source,
                   json fields) {
  return {"customer:" + customer_ext_id, change_details(ext_id, source, std::move(fields))};
}

// The upsert's outcome, and the noted audit row when it changed something.
Result<store::UpsertOutcome> noted(store::AuditTrail& store, Result<store::UpsertOutcome> outcome,
                                   std::string_view noun, Instant now, const std::string& actor,
                                   const ChangeNote& note) {
  if (!outcome || outcome->what == store::Upsert::unchanged) return outcome;
  store.audit_customer(
      {0, now, actor, note.subject,
       fmt::format("{}_{}", noun, outcome->what == store::Upsert::inserted ? "created" : "updated"),
       note.details},
      outcome->customer_id);
  return outcome;
}

}  // namespace

ChangeNote change_note(const Customer& c, const std::string& source) {
  return note_of(c.ext_id, c.ext_id, source, customer_fields(c));
}

ChangeNote change_note(const Service& s, const std::string& source) {
  return note_of(s.customer_ext_id, s.ext_id, source, service_fields(s));
}

ChangeNote change_note(const Invoice& inv, const std::string& source) {
  return note_of(inv.customer_ext_id, inv.ext_id, source, invoice_fields(inv));
}

Result<store::UpsertOutcome> put_noted(store::BillingStore& store, const Customer& c, Instant now,
                                       const std::string& actor, const ChangeNote& note) {
  return noted(store, store.upsert_customer(c), "customer", now, actor, note);
}

Result<store::UpsertOutcome> put_noted(store::BillingStore& store, const Service& s, Instant now,
                                       const std::string& actor, const ChangeNote& note) {
  return noted(store, store.upsert_service(s), "service", now, actor, note);
}

Result<store::UpsertOutcome> put_noted(store::BillingStore& store, const Invoice& inv, Instant now,
                                       const std::string& actor, const ChangeNote& note) {
  return noted(store, store.upsert_invoice(inv), "invoice", now, actor, note);
}

Result<store::UpsertOutcome> put_customer(store::BillingStore& store, const Customer& c, Instant now,
                                          const Origin& origin) {
  return put_noted(store, c, now, origin.actor, change_note(c, origin.source));
}

Result<store::UpsertOutcome> put_service(store::BillingStore& store, const Service& s, Instant now,
                                         const Origin& origin) {
  return put_noted(store, s, now, origin.actor, change_note(s, origin.source));
}

Result<store::UpsertOutcome> put_invoice(store::BillingStore& store, const Invoice& inv, Instant now,
                                         const Origin& origin) {
  return put_noted(store, inv, now, origin.actor, change_note(inv, origin.source));
}

Result<store::UpsertOutcome> put_payment(store::BillingStore& store, const Payment& p, Instant now,
                                         const Origin& origin) {
  if (p.status == PaymentStatus::returned && p.return_reason.empty())
    return make_error("return_reason: is required when status is returned");
  const auto before = store.payment(p.ext_id);
  auto outcome =
      audited(store, store.upsert_payment(p, now), "payment", p.ext_id, payment_fields(p), now, origin);
  if (!outcome || outcome->what == store::Upsert::unchanged) return outcome;
  // Only a change of status is an event: a return reported again (or with another reason code)
  // is the same return, and a confirmed payment sent again ends no new run.
  if (before && before->status == p.status) return outcome;
  if (p.status == PaymentStatus::returned) {
    store.return_payment(outcome->id, p.return_reason);
    const auto customer_ext_id = store.customer(outcome->customer_id)->ext_id;
    audit_return(store, p, customer_ext_id, now, origin);
    note_return_cause(store, outcome->customer_id, customer_ext_id, p.return_reason, now, origin.actor);
  } else if (p.status == PaymentStatus::confirmed) {
    store.recount_returned_debits(outcome->customer_id);
  }
  return outcome;
}

AuditEntry new_payment_audit(const Payment& payment, const std::string& customer_ext_id, Instant now,
                             const Origin& origin) {
  return change_audit(customer_ext_id, "payment", "created", payment.ext_id, payment_fields(payment), now,
                      origin);
}

void settle(store::DunningStore& store, const policy::Policy& policy, const std::set<std::int64_t>& customers,
            Instant now, const std::string& actor) {
  for (const auto id : customers) walk::reconsider(store, policy, id, now, actor);
}

}  // namespace cobrador::service
