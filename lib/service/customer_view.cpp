// Implements the customer view from the store's snapshot and a simulated look ahead.
#include "service/customer_view.hpp"

#include <nlohmann/json.hpp>

#include "policy/decide.hpp"
#include "walk/simulate.hpp"

namespace cobrador::service {

namespace {

using nlohmann::json;

// The last stage of the policy, in policy order, that ran (and was not skipped) this episode.
std::string current_stage(const policy::CustomerSnapshot& snap, const policy::Policy& policy) {
  if (!snap.episode) return "";
  std::string stage;
  for (const auto& s : policy.stages) {
    const auto run = snap.episode->runs.find(s.name);
    if (run != snap.episode->runs.end() && !run->second.superseded) stage = s.name;
  }
  return stage;
}

std::string state_of(const std::vector<Service>& services, int days_overdue) {
  const auto for_non_payment = [](const Service& s) { return s.suspend_reason == kNonPayment; };
  for (const auto& s : services) {
    if (s.state == ServiceState::locked && for_non_payment(s)) return "locked";
  }
  for (const auto& s : services) {
    if (s.state == ServiceState::suspended && for_non_payment(s)) return "suspended";
  }
  return days_overdue > 0 ? "overdue" : "good_standing";
}

std::optional<NextAction> next_action(store::Store& store, const policy::Policy& policy, Date today,
                                      std::int64_t customer_id) {
  for (const auto& entry : walk::simulate(store, policy, today, 90, customer_id)) {
    if (entry.event == "action") return NextAction{entry.day, entry.stage, entry.detail};
  }
  return std::nullopt;
}

json promise_json(const std::optional<Promise>& promise) {
  if (!promise) return nullptr;
  return {{"id", promise->id},
          {"granted_at", format_instant(promise->granted_at)},
          {"deadline", format_date(promise->deadline)},
          {"granted_by", promise->granted_by},
          {"reason", promise->reason},
          {"forced", promise->forced},
          {"claim", promise->claim_payment.empty() ? json(nullptr) : json(promise->claim_payment)},
          {"released_services", promise->released_services}};
}

}  // namespace

std::optional<CustomerView> customer_view(store::Store& store, const policy::Policy& policy,
                                          std::string_view ext_id, Instant now) {
  auto customer = store.customer(ext_id);
  if (!customer) return std::nullopt;
  CustomerView view;
  const auto snap = store.snapshot(customer->id);
  const Date today = policy.local_date(now);
  view.services = store.services_of(customer->id);
  view.open_invoices = snap.open_invoices;
  for (const auto& inv : snap.open_invoices) {
    const std::string code(inv.balance.currency.code());
    auto [slot, added] = view.balance.try_emplace(code, Money{0, inv.balance.currency});
    slot->second.minor = saturating_add(slot->second.minor, inv.balance.minor);
  }
  view.days_overdue = policy::overdue_on(snap, today).days;
  view.current_stage = current_stage(snap, policy);
  if (snap.episode) view.episode = snap.episode->number;
  view.state = state_of(view.services, view.days_overdue);
  view.next_action = next_action(store, policy, today, customer->id);
  view.open_promise = snap.promise;
  view.claims_flagged_at = store.claims_flagged_at(customer->id);
  view.reactivation = reactivation_terms(store, policy, customer->id);
  if (auto cause = store.episode_cause(customer->id); cause && !cause->cause.empty())
    view.cause = std::move(cause);
  view.customer = std::move(*customer);
  return view;
}

json to_json(const CustomerView& view) {
  const auto& c = view.customer;
  json services = json::array();
  for (const auto& s : view.services) {
    services.push_back({{"id", s.ext_id},
                        {"kind", to_string(s.kind)},
                        {"panel", s.panel},
                        {"state", to_string(s.state)},
                        {"suspend_reason", s.suspend_reason}});
  }
  json balance = json::object();
  for (const auto& [code, money] : view.balance) balance[code] = format_amount(money);
  json next = nullptr;
  if (view.next_action) {
    next = {{"date", format_date(view.next_action->date)},
            {"stage", view.next_action->stage},
            {"action", view.next_action->action}};
  }
  return {{"id", c.ext_id},
          {"name", c.name},
          {"locale", c.locale},
          {"tags", c.tags},
          {"exempt_until", c.exempt_until ? json(format_date(*c.exempt_until)) : json(nullptr)},
          {"services", services},
          {"balance", balance},
          {"state", view.state},
          {"days_overdue", view.days_overdue},
          {"current_stage", view.current_stage.empty() ? json(nullptr) : json(view.current_stage)},
          {"episode", view.episode ? json(*view.episode) : json(nullptr)},
          {"next_action", next},
          {"open_promise", promise_json(view.open_promise)},
          {"claims_flagged", view.claims_flagged_at.has_value()},
          {"claims_flagged_at",
           view.claims_flagged_at ? json(format_instant(*view.claims_flagged_at)) : json(nullptr)},
          {"reactivation", view.reactivation ? to_json(*view.reactivation) : json(nullptr)},
          {"cause", view.cause
                        ? json{{"code", view.cause->cause},
                               {"source", view.cause->source},
                               {"at", view.cause->at ? json(format_instant(*view.cause->at)) : json(nullptr)},
                               {"episode", view.cause->episode_number ? json(view.cause->episode_number)
                                                                      : json(nullptr)}}
                        : json(nullptr)}};
}

}  // namespace cobrador::service
