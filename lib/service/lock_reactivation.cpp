// Implements service/lock_reactivation.hpp.
#include "service/lock_reactivation.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "policy/outbox_actions.hpp"
#include "service/return_facts.hpp"
#include "util/dump_json.hpp"

namespace cobrador::service {

namespace {

using nlohmann::json;

json amounts_json(const policy::Amounts& amounts) {
  json out = json::object();
  for (const auto& [code, money] : amounts) out[code] = format_amount(money);
  return out;
}

// "239.40 BRL since 2026-05-11 (owed at the lock 149.70 BRL + 3 months of 29.90 BRL)"
std::string money_text(const ReactivationTerms& terms) {
  const auto& m = terms.money;
  std::vector<std::string> parts;
  if (!m.owed_then.empty())
    parts.push_back(fmt::format("owed at the lock {}", policy::amounts_text(m.owed_then)));
  if (!m.upfront.empty())
    parts.push_back(
        fmt::format("{} months of service {}", terms.months_upfront, policy::amounts_text(m.upfront)));
  return fmt::format("{} in confirmed payments received since the lock on {} ({})",
                     policy::amounts_text(m.required), format_date(terms.locked_on), fmt::join(parts, " + "));
}

std::string requirement_text(const ReactivationTerms& terms) {
  std::vector<std::string> parts;
  if (terms.pay_all_debts) parts.push_back("pay every open invoice");
  if (terms.months_upfront > 0) {
    if (!terms.money.unpriced.empty()) {
      parts.push_back(fmt::format("pay {} months upfront (the recurring price of {} is unknown)",
                                  terms.months_upfront, policy::join_names(terms.money.unpriced)));
    } else {
      parts.push_back(fmt::format("pay {}", money_text(terms)));
    }
  }
  if (parts.empty()) return "ask the operator to reactivate";
  return fmt::format("{}; then the operator reactivates the service", policy::join_names(parts));
}

std::optional<Refusal> check_upfront(const ReactivationTerms& terms, const Service& service) {
  if (terms.months_upfront <= 0) return std::nullopt;
  const auto rule = fmt::format("reactivation_after_lock.months_upfront {}", terms.months_upfront);
  if (!terms.money.unpriced.empty()) {
    return Refusal{409, "recurring_amount_unknown",
                   fmt::format("{}: the recurring price (recurring_amount) of {} is unknown, so {} months "
                               "in advance cannot be measured; the billing system must import it",
                               rule, policy::join_names(terms.money.unpriced), terms.months_upfront),
                   "", to_json(terms)};
  }
  if (!terms.money.met()) {
    return Refusal{
        409, "upfront_payment_missing",
        fmt::format("{}: customer {} must pay {}; paid since the lock {}, missing {}", rule,
                    service.customer_ext_id, money_text(terms), policy::amounts_text(terms.money.paid),
                    policy::amounts_text(terms.money.missing)),
        "", to_json(terms)};
  }
  return std::nullopt;
}

}  // namespace

std::optional<ReactivationTerms> reactivation_terms(store::LifecycleStore& store,
                                                    const policy::Policy& policy, std::int64_t customer_id) {
  const auto locks = store.open_locks_of(customer_id);
  if (locks.empty()) return std::nullopt;
  ReactivationTerms terms;
  terms.pay_all_debts = policy.reactivation_after_lock.pay_all_debts;
  terms.months_upfront = policy.reactivation_after_lock.months_upfront;
  terms.locked_on = locks.front().locked_on;
  std::vector<Service> locked;
  for (const auto& lock : locks) {
    terms.locked_services.push_back(lock.service);
    terms.locked_on = std::min(terms.locked_on, lock.locked_on);
    if (auto service = store.service(lock.service)) locked.push_back(std::move(*service));
  }
  for (const auto& i : store.invoices_of(customer_id)) {
    if (i.invoice.status != InvoiceStatus::open || i.balance.minor <= 0) continue;
    terms.open_invoices.push_back(i.invoice.ext_id);
    auto [it, fresh] = terms.owed.try_emplace(std::string(i.balance.currency.code()), i.balance);
    if (!fresh) it->second.minor = saturating_add(it->second.minor, i.balance.minor);
  }
  auto facts = return_facts(store, customer_id, terms.locked_on, locked);
  facts.debt_counts = terms.pay_all_debts;
  facts.periods = terms.months_upfront;
  terms.money = policy::return_terms(facts);
  terms.summary = requirement_text(terms);
  return terms;
}

json to_json(const ReactivationTerms& terms) {
  json owed = json::object();
  for (const auto& [code, money] : terms.owed) owed[code] = format_amount(money);
  return {{"pay_all_debts", terms.pay_all_debts},
          {"months_upfront", terms.months_upfront},
          {"owed", owed},
          {"open_invoices", terms.open_invoices},
          {"debts_paid", terms.open_invoices.empty()},
          {"locked_services", terms.locked_services},
          {"locked_on", format_date(terms.locked_on)},
          {"owed_at_lock", amounts_json(terms.money.owed_then)},
          {"upfront", amounts_json(terms.money.upfront)},
          {"required_since_lock", amounts_json(terms.money.required)},
          {"paid_since_lock", amounts_json(terms.money.paid)},
          {"missing", amounts_json(terms.money.missing)},
          {"unpriced_services", terms.money.unpriced},
          {"upfront_paid", terms.months_upfront <= 0 || terms.money.met()},
          {"requires", terms.summary}};
}

Decided<Action> reactivate_locked(store::LifecycleStore& store, const policy::Policy& policy,
                                  const std::string& service_id, const std::string& reason, Instant now,
                                  const std::string& actor) {
  const auto service = store.service(service_id);
  if (!service)
    return Refusal{404, "unknown_service", fmt::format("no service '{}'", service_id), "", nullptr};
  const auto lock = store.open_lock(service->id);
  if (!lock || service->state != ServiceState::locked) {
    return Refusal{
        409, "not_locked",
        fmt::format("service {} is {}, not locked for non-payment", service_id, to_string(service->state)),
        "", nullptr};
  }
  const auto terms = reactivation_terms(store, policy, service->customer_id);
  if (terms->pay_all_debts && !terms->open_invoices.empty()) {
    return Refusal{409, "debts_unpaid",
                   fmt::format("reactivation_after_lock.pay_all_debts: customer {} still owes invoices {}",
                               service->customer_ext_id, policy::join_names(terms->open_invoices)),
                   "", to_json(*terms)};
  }
  if (auto refusal = check_upfront(*terms, *service)) return *refusal;
  store.end_lock(lock->id, now, actor);
  auto action = policy::panel_action(
      *service, ActionKind::unsuspend, "service.unsuspend", "reactivation_after_lock",
      policy::ActionKey::of_service(service->id, "lock", lock->id).then("unsuspend"), "reactivation", now);
  store.add_action(action, now, fmt::format("reactivation after lock by {}: {}", actor, reason));
  store.audit({0, now, actor, "customer:" + service->customer_ext_id, "lock_reactivated",
               dump_json(json{{"service", service_id},
                              {"reason", reason},
                              {"rule", fmt::format("reactivation_after_lock met: {}", terms->summary)},
                              {"paid_since_lock", amounts_json(terms->money.paid)}})});
  return *store.action_by_key(action.key);
}

}  // namespace cobrador::service
