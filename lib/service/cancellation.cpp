// Implements service/cancellation.hpp.
#include "service/cancellation.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "policy/cancellation_dates.hpp"
#include "policy/outbox_actions.hpp"
#include "policy/return_terms.hpp"
#include "policy/tasks.hpp"
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

// The dates follow the moment the customer asked (`asked_at`), also when a call confirms it days
// later: asked on 8 August, confirmed on the 12th, the service still ends on 31 August.
Record record_for(store::LifecycleStore& store, const policy::Policy& policy,
                  const CancellationRequest& request, const Service& service, Instant asked_at,
                  const std::string& actor) {
  const Date asked_on = policy.local_date(asked_at);
  const Instant now = asked_at;
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

namespace {

std::string lowered(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char ch) { return std::tolower(ch); });
  while (!text.empty() && text.back() == ' ') text.pop_back();
  while (!text.empty() && text.front() == ' ') text.erase(text.begin());
  return text;
}

// A request from someone who is not the customer's responsible person is refused, unless an
// operator overrides it with a note (audited).
std::optional<Refusal> check_responsible(store::DeskStore& store, const Customer& customer,
                                         const CancellationRequest& request, Instant now,
                                         const std::string& actor) {
  if (customer.responsible.empty()) return std::nullopt;
  const auto asker = lowered(request.contact);
  for (const auto& person : customer.responsible) {
    if (!asker.empty() && lowered(person) == asker) return std::nullopt;
  }
  // The message never names the responsible persons: whoever asked may be a stranger.
  if (!request.force) {
    return Refusal{
        409, "not_responsible",
        request.contact.empty()
            ? fmt::format("the request names no contact, and only the responsible person of customer {} "
                          "may cancel (an operator may override with --force and a note)",
                          customer.ext_id)
            : fmt::format("'{}' is not the responsible person of customer {}; only they may cancel (an "
                          "operator may override with --force and a note)",
                          request.contact, customer.ext_id),
        "contact", nullptr};
  }
  if (request.force_note.empty()) {
    return Refusal{400, "missing_field",
                   "force_note: overriding the responsible person (force) needs a note saying why",
                   "force_note", nullptr};
  }
  store.audit({0, now, actor, "customer:" + customer.ext_id, "responsible_overridden",
               dump_json(json{{"contact", request.contact},
                              {"responsible", customer.responsible},
                              {"note", request.force_note},
                              {"rule", "an operator overrode the responsible-person check"}})});
  return std::nullopt;
}

// What refuses a cancellation of `service` now, whoever asked.
std::optional<Refusal> check_cancellable(store::LifecycleStore& store, const policy::Policy& policy,
                                         const Service& service) {
  if (!cancellable(service.state)) {
    return Refusal{409, "not_cancellable",
                   fmt::format("service {} is {}: only an active or suspended service can be cancelled",
                               service.ext_id, to_string(service.state)),
                   "", nullptr};
  }
  if (policy.cancellation.require_no_open_invoices) {
    const auto open = unpaid(store, service.customer_id);
    if (!open.empty()) {
      return Refusal{409, "open_invoices",
                     fmt::format("cancellation.require_no_open_invoices: customer {} has open invoices: {}",
                                 service.customer_ext_id, invoice_list(open)),
                     "", invoice_facts(open)};
    }
  }
  return std::nullopt;
}

// Finance hears of invoices still open when a cancellation takes effect
// (tasks.open_invoices_at_cancellation).
void open_invoices_task(store::DeskStore& store, const policy::Policy& policy, const Record& record,
                        Instant now) {
  const Date today = policy.local_date(now);
  std::vector<policy::OpenInvoiceFact> facts;
  for (const auto& i : unpaid(store, record.customer_id))
    facts.push_back({i.invoice.ext_id, i.invoice.due_on, i.balance});
  if (auto task =
          policy::open_invoices_task(policy.tasks, record.customer, record.service, record.id, facts, today))
    store.open_task(*task, now, "system");
}

// The cancellation in effect: one record per covered service, dated by `asked_at`.
Decided<CancellationOutcome> take_effect(store::DeskStore& store, const policy::Policy& policy,
                                         const CancellationRequest& request, const Service& service,
                                         Instant asked_at, const std::string& asked_by, Instant now,
                                         const std::string& actor) {
  CancellationOutcome outcome;
  for (const auto& s : covered(store, service, request.scope)) {
    auto [record, created] =
        store.add_cancellation(record_for(store, policy, request, s, asked_at, asked_by));
    if (!created) {
      if (s.id == service.id)
        return CancellationOutcome{{record}, false, std::nullopt};  // another request won
      continue;
    }
    store.set_service_state(s.id, ServiceState::cancelling, s.suspend_reason);
    store.audit(
        {0, now, actor, "customer:" + s.customer_ext_id, "cancellation_requested",
         dump_json(json{{"service", s.ext_id}, {"rule", record.rule}, {"cancellation", to_json(record)}})});
    outcome.records.push_back(std::move(record));
  }
  outcome.created = true;
  confirm(store, *store.customer(service.customer_id), outcome.records, now);
  open_invoices_task(store, policy, outcome.records.front(), now);
  return outcome;
}

json request_json(const CancellationRequest& r) {
  return {{"reason", r.reason_code},
          {"note", r.note},
          {"channel", r.channel},
          {"retention_offers", r.retention_offers},
          {"scope", r.scope},
          {"prepaid_until", r.prepaid_until ? json(format_date(*r.prepaid_until)) : json(nullptr)},
          {"contact", r.contact}};
}

CancellationRequest request_from_json(const std::string& service, const std::string& text) {
  const auto doc = json::parse(text, nullptr, false);
  CancellationRequest r;
  r.service = service;
  if (!doc.is_object()) return r;
  r.reason_code = doc.value("reason", "");
  r.note = doc.value("note", "");
  r.channel = doc.value("channel", "");
  r.retention_offers = doc.value("retention_offers", std::vector<std::string>{});
  r.scope = doc.value("scope", "partial");
  if (const auto until = doc.find("prepaid_until"); until != doc.end() && until->is_string()) {
    if (const auto day = parse_date(until->get<std::string>())) r.prepaid_until = *day;
  }
  r.contact = doc.value("contact", "");
  return r;
}

// cancellation.confirm_by: phone: the request waits for its call.
CancellationOutcome await_call(store::DeskStore& store, const policy::Policy& policy,
                               const CancellationRequest& request, const Service& service, Instant now,
                               const std::string& actor) {
  store::CancellationRequestRecord record;
  record.service_id = service.id;
  record.service = service.ext_id;
  record.customer_id = service.customer_id;
  record.customer = service.customer_ext_id;
  record.requested_at = now;
  record.requested_by = actor;
  record.contact = request.contact;
  record.request = dump_json(request_json(request));
  auto [awaiting, created] = store.add_cancellation_request(record);
  if (!created) return CancellationOutcome{{}, false, awaiting};
  store.open_task(
      policy::confirm_cancellation_task(policy.tasks.confirm_cancellation, awaiting.id, awaiting.customer,
                                        awaiting.service, awaiting.contact, policy.local_date(now)),
      now, "system");
  store.audit(
      {0, now, actor, "customer:" + service.customer_ext_id, "cancellation_awaiting_confirmation",
       dump_json(json{{"service", service.ext_id},
                      {"request", to_json(awaiting)},
                      {"rule", "cancellation.confirm_by: phone: it takes effect when a call confirms it"}})});
  return CancellationOutcome{{}, true, awaiting};
}

}  // namespace

Decided<CancellationOutcome> request_cancellation(store::DeskStore& store, const policy::Policy& policy,
                                                  const CancellationRequest& request, Instant now,
                                                  const std::string& actor) {
  const auto service = store.service(request.service);
  if (!service) {
    return Refusal{404, "unknown_service", fmt::format("no service '{}'", request.service), "", nullptr};
  }
  // The first record stands: a second agent, a double click or a retry gets it back.
  if (auto open = store.open_cancellation(service->id))
    return CancellationOutcome{{*open}, false, std::nullopt};
  if (auto awaiting = store.awaiting_cancellation_request(service->id))
    return CancellationOutcome{{}, false, *awaiting};
  if (auto refusal = check_request(request)) return *refusal;
  if (auto refusal = check_cancellable(store, policy, *service)) return *refusal;
  if (auto refusal = check_responsible(store, *store.customer(service->customer_id), request, now, actor))
    return *refusal;
  if (policy.cancellation.confirm_by == policy::Cancellation::ConfirmBy::phone)
    return await_call(store, policy, request, *service, now, actor);
  return take_effect(store, policy, request, *service, now, actor, now, actor);
}

Decided<ConfirmationResult> record_confirmation_call(store::DeskStore& store, const policy::Policy& policy,
                                                     const ConfirmationCall& call, Instant now,
                                                     const std::string& actor) {
  const auto request = store.cancellation_request(call.request_id);
  if (!request) {
    return Refusal{404, "unknown_request", fmt::format("no cancellation request {}", call.request_id), "",
                   nullptr};
  }
  if (request->state != "awaiting_confirmation") {
    return Refusal{409, "request_closed",
                   fmt::format("cancellation request {} is {} already", request->id, request->state), "",
                   nullptr};
  }
  const auto task =
      store.open_task_of("confirm_cancellation", fmt::format("cancellation_request:{}", request->id));
  const Date today = policy.local_date(now);
  const auto step =
      policy::confirmation_step(policy.tasks.confirm_cancellation, request->attempts, call.outcome, today);
  const auto subject = "customer:" + request->customer;
  const auto close_task = [&](std::string_view outcome) {
    if (task) store.close_task(task->id, "done", outcome, call.note, now, actor);
  };
  json details{{"request", request->id},
               {"service", request->service},
               {"outcome", call.outcome},
               {"note", call.note},
               {"rule", step.rule}};
  if (!call.retention_offers.empty()) details["retention_offers"] = call.retention_offers;
  using Kind = policy::ConfirmationStep::Kind;
  ConfirmationResult result;
  result.rule = step.rule;
  switch (step.kind) {
    case Kind::cancel: {
      if (!valid_code(call.reason_code)) {
        return Refusal{400, "missing_field",
                       "reason: a confirmed cancellation needs the reason code the customer gave (lower-case "
                       "letters, digits, _ and -)",
                       "reason", nullptr};
      }
      auto asked = request_from_json(request->service, request->request);
      asked.reason_code = call.reason_code;
      if (!call.note.empty()) asked.note = asked.note.empty() ? call.note : asked.note + "\n" + call.note;
      asked.retention_offers.insert(asked.retention_offers.end(), call.retention_offers.begin(),
                                    call.retention_offers.end());
      const auto service = store.service(request->service);
      if (auto refusal = check_cancellable(store, policy, *service)) return *refusal;
      auto effect = take_effect(store, policy, asked, *service, request->requested_at, request->requested_by,
                                now, actor);
      if (auto* refusal = std::get_if<Refusal>(&effect)) return *refusal;
      auto& outcome = std::get<CancellationOutcome>(effect);
      store.close_cancellation_request(request->id, "confirmed",
                                       outcome.records.empty() ? 0 : outcome.records.front().id, now, actor);
      close_task("confirmed");
      details["reason"] = call.reason_code;
      store.audit({0, now, actor, subject, "cancellation_confirmed", dump_json(details)});
      result.state = "cancelled";
      result.records = std::move(outcome.records);
      return result;
    }
    case Kind::withdraw:
      store.close_cancellation_request(request->id, "withdrawn", 0, now, actor);
      close_task("withdrawn");
      store.audit({0, now, actor, subject, "cancellation_request_withdrawn", dump_json(details)});
      result.state = "withdrawn";
      return result;
    case Kind::retry:
      store.set_cancellation_request_attempts(request->id, request->attempts + 1);
      if (task) store.reschedule_task(task->id, step.next_attempt_on, request->attempts + 1, call.note);
      details["next_attempt_on"] = format_date(step.next_attempt_on);
      store.audit({0, now, actor, subject, "confirmation_call_unanswered", dump_json(details)});
      result.state = "awaiting_confirmation";
      result.next_attempt_on = step.next_attempt_on;
      return result;
    case Kind::lapse:
      store.set_cancellation_request_attempts(request->id, request->attempts + 1);
      store.close_cancellation_request(request->id, "lapsed", 0, now, actor);
      close_task("not_reached");
      if (auto unanswered = policy::cancellation_unanswered_task(
              policy.tasks, request->id, request->customer, request->service, request->attempts + 1, today))
        store.open_task(*unanswered, now, "system");
      store.audit({0, now, actor, subject, "cancellation_lapsed", dump_json(details)});
      result.state = "lapsed";
      return result;
  }
  return result;
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

Decided<Withdrawal> withdraw(store::DeskStore& store, const policy::Policy& policy,
                             const std::string& service_id, Instant now, const std::string& actor) {
  const auto service = store.service(service_id);
  if (service) {
    if (auto awaiting = store.awaiting_cancellation_request(service->id)) {
      store.close_cancellation_request(awaiting->id, "withdrawn", 0, now, actor);
      if (const auto call = store.open_task_of("confirm_cancellation",
                                               fmt::format("cancellation_request:{}", awaiting->id)))
        store.close_task(call->id, "done", "withdrawn", "withdrawn before the call", now, actor);
      store.audit({0, now, actor, "customer:" + awaiting->customer, "cancellation_request_withdrawn",
                   dump_json(json{{"request", awaiting->id},
                                  {"service", awaiting->service},
                                  {"rule", "withdrawn before the confirming call"}})});
      awaiting->state = "withdrawn";
      return Withdrawal{std::nullopt, std::move(awaiting)};
    }
  }
  auto withdrawn = withdraw_cancellation(store, policy, service_id, now, actor);
  if (auto* refusal = std::get_if<Refusal>(&withdrawn)) return *refusal;
  return Withdrawal{std::get<Record>(std::move(withdrawn)), std::nullopt};
}

json Withdrawal::to_json() const {
  return cancellation ? service::to_json(*cancellation) : service::to_json(*request);
}

json to_json(const store::CancellationRequestRecord& r) {
  auto request = json::parse(r.request, nullptr, false);
  return {{"id", r.id},
          {"service", r.service},
          {"customer", r.customer},
          {"requested_at", format_instant(r.requested_at)},
          {"requested_by", r.requested_by},
          {"contact", r.contact},
          {"request", request.is_object() ? request : json::object()},
          {"state", r.state},
          {"attempts", r.attempts}};
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
