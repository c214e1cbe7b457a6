// Implements service/lock_reactivation.hpp.
#include "service/lock_reactivation.hpp"

#include <fmt/format.h>

#include "policy/outbox_actions.hpp"

namespace cobrador::service {

namespace {

using nlohmann::json;

std::string requirement_text(const policy::ReactivationAfterLock& rule) {
  std::vector<std::string> parts;
  if (rule.pay_all_debts) parts.push_back("pay every open invoice");
  if (rule.months_upfront > 0) parts.push_back(fmt::format("pay {} months upfront", rule.months_upfront));
  if (parts.empty()) return "ask the operator to reactivate";
  return fmt::format("{}; then the operator reactivates the service", policy::join_names(parts));
}

std::optional<Refusal> check_upfront(store::LifecycleStore& store, const policy::Policy& policy,
                                     const store::LockRecord& lock,
                                     const std::optional<std::string>& upfront_invoice) {
  const int months = policy.reactivation_after_lock.months_upfront;
  if (months <= 0) return std::nullopt;
  const auto rule = fmt::format("reactivation_after_lock.months_upfront {}", months);
  if (!upfront_invoice) {
    return Refusal{409, "upfront_payment_missing",
                   fmt::format("{}: name the paid invoice for those months (--upfront-invoice)", rule), "",
                   nullptr};
  }
  const auto found = store.invoice(*upfront_invoice);
  const bool paid = found && (found->invoice.status == InvoiceStatus::paid ||
                              (found->invoice.status == InvoiceStatus::open && found->balance.minor <= 0));
  if (!found || found->invoice.customer_id != lock.customer_id || !paid ||
      found->invoice.issued_on < lock.locked_on) {
    return Refusal{
        409, "upfront_payment_missing",
        fmt::format("{}: invoice '{}' is not a paid invoice of customer {} issued on or after the lock "
                    "({})",
                    rule, *upfront_invoice, lock.customer, format_date(lock.locked_on)),
        "upfront_invoice", nullptr};
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
  for (const auto& lock : locks) terms.locked_services.push_back(lock.service);
  for (const auto& i : store.invoices_of(customer_id)) {
    if (i.invoice.status != InvoiceStatus::open || i.balance.minor <= 0) continue;
    terms.open_invoices.push_back(i.invoice.ext_id);
    auto [it, fresh] = terms.owed.try_emplace(std::string(i.balance.currency.code()), i.balance);
    if (!fresh) it->second.minor += i.balance.minor;
  }
  terms.summary = requirement_text(policy.reactivation_after_lock);
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
          {"requires", terms.summary}};
}

Decided<Action> reactivate_locked(store::LifecycleStore& store, const policy::Policy& policy,
                                  const std::string& service_id, const std::string& reason,
                                  const std::optional<std::string>& upfront_invoice, Instant now,
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
  if (auto refusal = check_upfront(store, policy, *lock, upfront_invoice)) return *refusal;
  store.end_lock(lock->id, now, actor);
  auto action = policy::panel_action(
      *service, ActionKind::unsuspend, "service.unsuspend", "reactivation_after_lock",
      policy::ActionKey::of_service(service->id, "lock", lock->id).then("unsuspend"), "reactivation", now);
  store.add_action(action, now, fmt::format("reactivation after lock by {}: {}", actor, reason));
  store.audit({0, now, actor, "customer:" + service->customer_ext_id, "lock_reactivated",
               json{{"service", service_id},
                    {"reason", reason},
                    {"rule", fmt::format("reactivation_after_lock met: {}", terms->summary)},
                    {"upfront_invoice", upfront_invoice ? json(*upfront_invoice) : json(nullptr)}}
                   .dump()});
  return *store.action_by_key(action.key);
}

}  // namespace cobrador::service
