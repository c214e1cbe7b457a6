// Implements service/cancellation.hpp.
#include "service/cancellation.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "policy/cancellation_dates.hpp"
#include "policy/outbox_actions.hpp"
#include "policy/return_terms.hpp"
#include "service/return_facts.hpp"
#include "util/dump_json.hpp"

namespace cobrador::service {

namespace {

using nlohmann::json;
using Record = store::CancellationRecord;

bool valid_code(const std::string& code) {
  return !code.empty() && code.size() <= 64 && std::all_of(code.begin(), code.end(), [](char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
  });
}

json invoice_facts(const std::vector<store::InvoiceBalance>& invoices) {
  json out = json::array();
  for (const auto& i : invoices) {
    out.push_back({{"id", i.invoice.ext_id},
                   {"balance", format_amount(i.balance)},
                   {"currency", i.balance.currency.code()},
                   {"due_on", format_date(i.invoice.due_on)}});
  }
  return out;
}

std::string invoice_list(const std::vector<store::InvoiceBalance>& invoices) {
  std::vector<std::string> parts;
  for (const auto& i : invoices) {
    parts.push_back(fmt::format("{} ({} due {})", i.invoice.ext_id, format_money(i.balance),
                                format_date(i.invoice.due_on)));
  }
  return policy::join_names(parts);
}

// Open invoices with something left to pay, issued on or before `issued_by` when given.
std::vector<store::InvoiceBalance> unpaid(store::LifecycleStore& store, std::int64_t customer_id,
                                          std::optional<Date> issued_by = std::nullopt) {
  std::vector<store::InvoiceBalance> out;
  for (auto& i : store.invoices_of(customer_id)) {
    if (i.invoice.status != InvoiceStatus::open || i.balance.minor <= 0) continue;
    if (issued_by && i.invoice.issued_on > *issued_by) continue;
    out.push_back(std::move(i));
  }
  return out;
}

bool cancellable(ServiceState state) {
  return state == ServiceState::active || state == ServiceState::suspended;
}

// The services a request covers: the path's, or (total) every running one of the customer.
std::vector<Service> covered(store::LifecycleStore& store, const Service& service, const std::string& scope) {
  if (scope != "total") return {service};
  std::vector<Service> out{service};
  for (auto& other : store.services_of(service.customer_id)) {
    if (other.id != service.id && cancellable(other.state) && !store.open_cancellation(other.id))
      out.push_back(std::move(other));
  }
  return out;
}

std::optional<Refusal> check_request(const CancellationRequest& request) {
  if (!valid_code(request.reason_code)) {
    return Refusal{400, "invalid_field",
                   fmt::format("reason: '{}' is not a reason code (lower-case letters, digits, _ and -; "
                               "up to 64 characters)",
                               request.reason_code),
                   "reason", nullptr};
  }
  if (request.scope != "total" && request.scope != "partial") {
    return Refusal{400, "invalid_field",
                   fmt::format("scope: '{}' is not one of total, partial", request.scope), "scope", nullptr};
  }
  return std::nullopt;
}

Record record_for(store::LifecycleStore& store, const policy::Policy& policy,
                  const CancellationRequest& request, const Service& service, Instant now,
                  const std::string& actor) {
  const Date asked_on = policy.local_date(now);
  const auto prepaid = request.prepaid_until ? request.prepaid_until : derived_prepaid_until(store, service);
  const auto dates = policy::cancellation_dates(policy.cancellation, asked_on, prepaid);
  Record r;
  r.service_id = service.id;
  r.service = service.ext_id;
  r.customer_id = service.customer_id;
  r.customer = service.customer_ext_id;
  r.requested_at = now;
  r.requested_on = asked_on;
  r.requested_by = actor;
  r.channel = request.channel;
  r.reason_code = request.reason_code;
  r.note = request.note;
  r.retention_offers = request.retention_offers;
  r.scope = request.scope;
  r.service_end = dates.service_end;
  r.purge_on = dates.purge_on;
  r.rule = dates.rule;
  return r;
}

void confirm(store::LifecycleStore& store, const Customer& customer, const std::vector<Record>& records,
             Instant now) {
  std::vector<std::string> services;
  for (const auto& r : records) services.push_back(r.service);
  const auto& first = records.front();
  const auto notices = policy::customer_notices(
      customer, "cancellation_confirmed",
      {{"services", policy::join_names(services)},
       {"service_end_date", format_date(first.service_end)},
       {"purge_date", format_date(first.purge_on)}},
      policy::ActionKey::of_service(first.service_id, "cancellation", first.id), false, now);
  store::add_actions(store, notices, now,
                     fmt::format("cancellation of {} confirmed", policy::join_names(services)));
}

json amounts_json(const policy::Amounts& amounts) {
  json out = json::object();
  for (const auto& [code, money] : amounts) out[code] = format_amount(money);
  return out;
}

// Once the service's period is over, coming back buys a new period, whether or not the billing
// system has issued its invoice yet: either a paid invoice that bills the service covers today
// (derived_prepaid_until), or the confirmed payments received since the end of service cover
// what was owed then plus one recurring price of the service (policy::return_terms).
std::optional<Refusal> check_new_period(store::LifecycleStore& store, const Service& service,
                                        const Record& cancellation, Date today) {
  if (today <= cancellation.service_end) return std::nullopt;
  const auto prepaid = derived_prepaid_until(store, service);
  if (prepaid && *prepaid >= today) return std::nullopt;
  auto facts = return_facts(store, service.customer_id, cancellation.service_end + date::days{1}, {service});
  facts.periods = 1;
  const auto terms = policy::return_terms(facts);
  if (terms.met()) return std::nullopt;
  const auto rule = fmt::format(
      "re-engagement after the end of service on {} needs the new period paid (a paid invoice for it, or "
      "confirmed payments since {} covering what was owed then and one recurring_amount)",
      format_date(cancellation.service_end), format_date(facts.since));
  const json details{{"service_end", format_date(cancellation.service_end)},
                     {"required", amounts_json(terms.required)},
                     {"paid", amounts_json(terms.paid)},
                     {"missing", amounts_json(terms.missing)},
                     {"unpriced_services", terms.unpriced}};
  if (!terms.unpriced.empty()) {
    return Refusal{409, "recurring_amount_unknown",
                   fmt::format("{}: no paid invoice covers {} and the recurring price of service {} is "
                               "unknown (recurring_amount)",
                               rule, format_date(today), service.ext_id),
                   "", details};
  }
  return Refusal{409, "period_fee_unpaid",
                 fmt::format("{}: customer {} must pay {}; paid since {}, missing {}", rule,
                             service.customer_ext_id, policy::amounts_text(terms.required),
                             policy::amounts_text(terms.paid), policy::amounts_text(terms.missing)),
                 "", details};
}

}  // namespace

std::optional<Date> derived_prepaid_until(store::Book& store, const Service& service) {
  std::optional<Date> until;
  for (const auto& i : store.invoices_of(service.customer_id)) {
    const bool bills = i.invoice.services.empty() ||
                       std::find(i.invoice.services.begin(), i.invoice.services.end(), service.ext_id) !=
                           i.invoice.services.end();
    const bool paid = i.invoice.status == InvoiceStatus::paid ||
                      (i.invoice.status == InvoiceStatus::open && i.balance.minor <= 0);
    if (!bills || !paid) continue;
    const Date last = add_months(i.invoice.issued_on, 1) - date::days{1};
    if (!until || last > *until) until = last;
  }
  return until;
}

Decided<CancellationOutcome> request_cancellation(store::LifecycleStore& store, const policy::Policy& policy,
                                                  const CancellationRequest& request, Instant now,
                                                  const std::string& actor) {
  const auto service = store.service(request.service);
  if (!service) {
    return Refusal{404, "unknown_service", fmt::format("no service '{}'", request.service), "", nullptr};
  }
  // The first record stands: a second agent, a double click or a retry gets it back.
  if (auto open = store.open_cancellation(service->id)) return CancellationOutcome{{*open}, false};
  if (auto refusal = check_request(request)) return *refusal;
  if (!cancellable(service->state)) {
    return Refusal{409, "not_cancellable",
                   fmt::format("service {} is {}: only an active or suspended service can be cancelled",
                               service->ext_id, to_string(service->state)),
                   "", nullptr};
  }
  if (policy.cancellation.require_no_open_invoices) {
    const auto open = unpaid(store, service->customer_id);
    if (!open.empty()) {
      return Refusal{409, "open_invoices",
                     fmt::format("cancellation.require_no_open_invoices: customer {} has open invoices: {}",
                                 service->customer_ext_id, invoice_list(open)),
                     "", invoice_facts(open)};
    }
  }
  CancellationOutcome outcome;
  for (const auto& s : covered(store, *service, request.scope)) {
    auto [record, created] = store.add_cancellation(record_for(store, policy, request, s, now, actor));
    if (!created) {
      if (s.id == service->id) return CancellationOutcome{{record}, false};  // another request won
      continue;
    }
    store.set_service_state(s.id, ServiceState::cancelling, s.suspend_reason);
    store.audit(
        {0, now, actor, "customer:" + s.customer_ext_id, "cancellation_requested",
         dump_json(json{{"service", s.ext_id}, {"rule", record.rule}, {"cancellation", to_json(record)}})});
    outcome.records.push_back(std::move(record));
  }
  outcome.created = true;
  confirm(store, *store.customer(service->customer_id), outcome.records, now);
  return outcome;
}

Decided<Record> withdraw_cancellation(store::LifecycleStore& store, const policy::Policy& policy,
                                      const std::string& service_id, Instant now, const std::string& actor) {
  const auto service = store.service(service_id);
  if (!service)
    return Refusal{404, "unknown_service", fmt::format("no service '{}'", service_id), "", nullptr};
  const auto open = store.open_cancellation(service->id);
  if (!open) {
    return Refusal{404, "no_cancellation",
                   fmt::format("service {} has no cancellation to withdraw", service_id), "", nullptr};
  }
  if (open->state == "purged" || service->state == ServiceState::purged) {
    return Refusal{409, "purged",
                   fmt::format("service {} was purged on {}: it can no longer be re-engaged", service_id,
                               format_date(open->purge_on)),
                   "", nullptr};
  }
  const Date today = policy.local_date(now);
  const auto owed = unpaid(store, service->customer_id, today);
  if (!owed.empty()) {
    return Refusal{409, "current_period_unpaid",
                   fmt::format("re-engagement needs the current period paid; customer {} owes: {}",
                               service->customer_ext_id, invoice_list(owed)),
                   "", invoice_facts(owed)};
  }
  if (auto refusal = check_new_period(store, *service, *open, today)) return *refusal;
  store.withdraw_cancellation(open->id, now, actor);
  const auto cancellation = policy::ActionKey::of_service(service->id, "cancellation", open->id);
  // A deactivation not sent yet is simply dropped; one sent (or being sent) is undone.
  auto deactivation = store.action_by_key(cancellation.then("suspend").text());
  if (deactivation &&
      store.cancel_action(deactivation->id, now, "system", "the customer re-engaged before it went out")) {
    deactivation->state = ActionState::cancelled;
  }
  if (!deactivation || deactivation->state == ActionState::cancelled) {
    store.set_service_state(service->id, ServiceState::active, "");
  } else {
    const auto unsuspend =
        policy::panel_action(*service, ActionKind::unsuspend, "service.unsuspend", "reengagement",
                             cancellation.then("unsuspend"), "reengagement", now);
    store.add_action(unsuspend, now, fmt::format("service {} re-engaged by {}", service_id, actor));
  }
  store.audit({0, now, actor, "customer:" + service->customer_ext_id, "cancellation_withdrawn",
               dump_json(json{{"service", service_id},
                              {"cancellation", open->id},
                              {"rule", today > open->service_end
                                           ? "re-engaged before the purge with the new period paid"
                                           : "re-engaged before the purge with the current period paid"}})});
  auto withdrawn = *open;
  withdrawn.state = "withdrawn";
  return withdrawn;
}

json to_json(const Record& r) {
  return {{"id", r.id},
          {"service", r.service},
          {"customer", r.customer},
          {"requested_at", format_instant(r.requested_at)},
          {"requested_by", r.requested_by},
          {"channel", r.channel},
          {"reason", r.reason_code},
          {"note", r.note},
          {"retention_offers", r.retention_offers},
          {"scope", r.scope},
          {"service_end", format_date(r.service_end)},
          {"purge_date", format_date(r.purge_on)},
          {"rule", r.rule},
          {"state", r.state}};
}

}  // namespace cobrador::service
