// Implements service/backup.hpp.
#include "service/backup.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "policy/backup_rules.hpp"
#include "policy/outbox_actions.hpp"
#include "util/dump_json.hpp"

namespace cobrador::service {

namespace {

// The action stage that marks a backup as the last-chance one (it is offered once).
constexpr const char* kLastChanceStage = "last_chance_backup";

bool busy(const Action& action) {
  return action.state == ActionState::pending || action.state == ActionState::in_flight;
}

std::vector<Action> actions_of(store::Store& store, const Service& service, ActionKind kind) {
  store::ActionFilter filter;
  filter.customer_id = service.customer_id;
  filter.kind = kind;
  auto actions = store.actions(filter);
  std::erase_if(actions, [&](const Action& a) { return a.target != service.ext_id; });
  return actions;
}

// What policy::backup_decision needs to know, read from the store.
policy::BackupFacts backup_facts(store::Store& store, const policy::Policy& policy, const Service& service,
                                 Instant now) {
  policy::BackupFacts facts;
  facts.state = service.state;
  const Date today = policy.local_date(now);
  const auto invoices = store.invoices_of(service.customer_id);
  for (const auto& balance : invoices) {
    const auto& invoice = balance.invoice;
    if (invoice.status == InvoiceStatus::open && balance.balance.minor > 0 && invoice.due_on < today)
      ++facts.overdue_invoices;
  }
  facts.currency = policy::book_currency(service, store::latest_invoice_currency(invoices));
  facts.promise_open = store.open_promise(service.customer_id).has_value();
  facts.claim_open = !store.open_claims(service.customer_id).empty();
  const auto purges = actions_of(store, service, ActionKind::purge);
  facts.purge_started = std::any_of(purges.begin(), purges.end(), busy);
  // A last-chance backup that died or was cancelled was not had: the offer still stands.
  for (const auto& backup : actions_of(store, service, ActionKind::backup)) {
    if (backup.stage == kLastChanceStage && backup.state != ActionState::dead &&
        backup.state != ActionState::cancelled)
      facts.last_chance_taken = true;
  }
  return facts;
}

}  // namespace

Decided<BackupQueued> request_backup(store::Store& store, const policy::Policy& policy,
                                     const std::string& service_id, Instant now, const std::string& actor) {
  const auto service = store.service(service_id);
  if (!service)
    return Refusal{404, "unknown_service", fmt::format("no service '{}'", service_id), "", nullptr};
  // Asking again while one is on its way answers with that one.
  for (auto& action : actions_of(store, *service, ActionKind::backup)) {
    if (busy(action)) {
      const bool last_chance = action.stage == kLastChanceStage;
      return BackupQueued{std::move(action), false, last_chance, std::nullopt};
    }
  }
  const auto facts = backup_facts(store, policy, *service, now);
  const auto verdict = policy::backup_decision(policy, facts);
  if (!verdict.allowed) {
    return Refusal{409, verdict.code, fmt::format("no backup of {}: {}", service_id, verdict.rule), "",
                   nlohmann::json{{"state", to_string(service->state)},
                                  {"rule", verdict.rule},
                                  {"allowed_in", policy.backups.allowed_in},
                                  {"overdue_invoices", facts.overdue_invoices},
                                  {"promise_open", facts.promise_open},
                                  {"claim_open", facts.claim_open}}};
  }
  const int number = store.count_service_actions(service->ext_id, ActionKind::backup) + 1;
  nlohmann::json extra{{"requested_by", actor}};
  if (verdict.last_chance) extra["last_chance"] = true;
  auto action = policy::panel_action(*service, ActionKind::backup, "service.backup",
                                     verdict.last_chance ? "last_chance" : "requested",
                                     policy::ActionKey::of_service(service->id, "backup", number),
                                     verdict.last_chance ? kLastChanceStage : "backup", now, extra);
  store.add_action(action, now, fmt::format("backup of {} asked by {}", service_id, actor));
  nlohmann::json details{{"service", service_id}, {"action", action.key}, {"rule", verdict.rule}};
  if (verdict.fee) {
    store.add_charge({0, service->customer_id, service->customer_ext_id, service->id, service->ext_id,
                      kLastChanceStage, *verdict.fee, verdict.rule, action.key, now, actor});
    details["fee"] = format_money(*verdict.fee);
  }
  store.audit(
      {0, now, actor, "customer:" + service->customer_ext_id, "backup_requested", dump_json(details)});
  return BackupQueued{*store.action_by_key(action.key), true, verdict.last_chance, verdict.fee};
}

}  // namespace cobrador::service
