// Implements walk/lifecycle_walk.hpp.
#include "walk/lifecycle_walk.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "policy/backup_rules.hpp"
#include "policy/outbox_actions.hpp"
#include "policy/purge_hold.hpp"
#include "policy/tasks.hpp"
#include "util/dump_json.hpp"

namespace cobrador::walk {

namespace {

using nlohmann::json;

policy::ActionKey origin_key(const store::PurgeCandidate& purge) {
  return policy::ActionKey::of_origin(purge.service_id, purge.origin);
}

void deactivate(store::LifecycleStore& store, const store::CancellationRecord& c, Instant now,
                LifecycleReport& report) {
  const auto service = store.service(c.service);
  if (!service || service->state != ServiceState::cancelling) return;
  const auto action =
      policy::panel_action(*service, ActionKind::suspend, "service.suspend", "cancellation",
                           policy::ActionKey::of_service(c.service_id, "cancellation", c.id).then("suspend"),
                           "cancellation", now, {{"mode", "full"}, {"cancellation", c.id}});
  const auto why = fmt::format("cancellation {} of {}: service ended {} ({})", c.id, c.service,
                               format_date(c.service_end), c.reason_code);
  if (store.add_action(action, now, why)) ++report.deactivations;
}

// The last-chance offer, to every e-mail contact, once per purge.
// It names the price of that backup (backups.last_chance_fee), charged in the customer's currency.
void offer_backup(store::LifecycleStore& store, const policy::Policy& policy,
                  const store::PurgeCandidate& purge, Instant now, LifecycleReport& report) {
  const auto customer = store.customer(purge.customer_id);
  const auto service = store.service(purge.service);
  if (!customer || !service) return;
  const auto currency =
      policy::book_currency(*service, store::latest_invoice_currency(store.invoices_of(purge.customer_id)));
  const auto notices =
      policy::customer_notices(*customer, "last_chance_backup",
                               {{"services", purge.service},
                                {"purge_date", format_date(purge.purge_on)},
                                {"backup_fee", policy::last_chance_fee_text(policy, currency)}},
                               origin_key(purge).then("last_chance"), true, now);
  report.offers += store::add_actions(
      store, notices, now,
      fmt::format("backups.offer_before_purge_days {}: {} is purged on {}",
                  policy.backups.offer_before_purge_days, purge.service, format_date(purge.purge_on)));
  // "I did not receive the e-mail": a person calls after the notice (tasks.purge_follow_up).
  if (auto call = policy::purge_follow_up_task(policy.tasks, customer->ext_id, purge.service, purge.origin,
                                               purge.purge_on, policy.local_date(now))) {
    store.open_task(*call, now, "system");
  }
}

// What policy::purge_hold needs to know of a due purge.
policy::PurgeFacts purge_facts(store::LifecycleStore& store, const policy::Policy& policy,
                               const store::PurgeCandidate& purge) {
  policy::PurgeFacts facts;
  facts.service = purge.service;
  facts.backup_in_flight = store.backup_in_flight(purge.service);
  const auto customer = store.customer(purge.customer_id);
  if (customer && !customer->emails.empty()) {
    const auto offer = store.action_by_key(origin_key(purge)
                                               .then("last_chance")
                                               .then("notify")
                                               .then("email:" + customer->emails.front())
                                               .text());
    if (offer) facts.offer_queued_on = policy.local_date(offer->created_at);
  }
  return facts;
}

void purge_or_wait(store::LifecycleStore& store, const policy::Policy& policy,
                   const store::PurgeCandidate& purge, Instant now, LifecycleReport& report) {
  const Date today = policy.local_date(now);
  const auto subject = fmt::format("service:{}", purge.service);
  if (const auto hold = policy::purge_hold(policy, purge_facts(store, policy, purge), today); !hold.empty()) {
    ++report.purges_waiting;
    store.audit({0, now, "system", subject, "purge_held",
                 dump_json(json{{"purge_date", format_date(purge.purge_on)}, {"rule", hold}})});
    return;
  }
  const auto service = store.service(purge.service);
  if (!service) return;
  const auto action = policy::panel_action(
      *service, ActionKind::purge, "service.terminate", "purge", origin_key(purge).then("purge"), "purge",
      now, {{"origin", purge.origin}, {"purge_date", format_date(purge.purge_on)}});
  if (store.add_action(action, now,
                       fmt::format("{}: purge day {} reached", purge.origin, format_date(purge.purge_on)))) {
    ++report.purges;
  }
}

}  // namespace

LifecycleReport walk_lifecycle(store::LifecycleStore& store, const policy::Policy& policy, Instant now) {
  LifecycleReport report;
  const Date today = policy.local_date(now);
  // 1. The end of service has passed: deactivate through the panel (cancelled on its yes).
  for (const auto& c : store.cancellations_ended_before(today)) deactivate(store, c, now, report);
  // 2. The last-chance backup offer, offer_before_purge_days ahead of every purge.
  const int days_before = policy.backups.offer_before_purge_days;
  if (days_before > 0) {
    for (const auto& purge : store.purges_due_by(today + date::days{days_before})) {
      offer_backup(store, policy, purge, now, report);
    }
  }
  // 3. The purges due today (or missed), unless something must end first.
  for (const auto& purge : store.purges_due_by(today)) {
    if (store.action_by_key(origin_key(purge).then("purge").text())) continue;  // queued already
    purge_or_wait(store, policy, purge, now, report);
  }
  return report;
}

}  // namespace cobrador::walk
