// Implements service/backup.hpp.
#include "service/backup.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "policy/outbox_actions.hpp"

namespace cobrador::service {

namespace {

std::optional<Action> backup_on_its_way(store::LifecycleStore& store, const Service& service) {
  store::ActionFilter filter;
  filter.customer_id = service.customer_id;
  filter.kind = ActionKind::backup;
  for (auto& action : store.actions(filter)) {
    const bool busy = action.state == ActionState::pending || action.state == ActionState::in_flight;
    if (action.target == service.ext_id && busy) return std::move(action);
  }
  return std::nullopt;
}

bool purge_queued(store::LifecycleStore& store, const Service& service) {
  store::ActionFilter filter;
  filter.customer_id = service.customer_id;
  filter.kind = ActionKind::purge;
  const auto purges = store.actions(filter);
  return std::any_of(purges.begin(), purges.end(), [&](const Action& a) {
    return a.target == service.ext_id &&
           (a.state == ActionState::pending || a.state == ActionState::in_flight);
  });
}

}  // namespace

Decided<BackupQueued> request_backup(store::LifecycleStore& store, const policy::Policy& policy,
                                     const std::string& service_id, Instant now, const std::string& actor) {
  const auto service = store.service(service_id);
  if (!service)
    return Refusal{404, "unknown_service", fmt::format("no service '{}'", service_id), "", nullptr};
  const auto& allowed = policy.backups.allowed_in;
  const std::string state(to_string(service->state));
  if (std::find(allowed.begin(), allowed.end(), state) == allowed.end()) {
    const bool unpaid = service->state == ServiceState::suspended || service->state == ServiceState::locked;
    return Refusal{409, "backup_not_allowed",
                   fmt::format("service {} is {}{}; backups.allowed_in: [{}]{}", service_id, state,
                               service->suspend_reason.empty() ? "" : " (" + service->suspend_reason + ")",
                               policy::join_names(allowed),
                               unpaid ? ": pay what is owed first, then ask for the backup" : ""),
                   "", nlohmann::json{{"state", state}, {"allowed_in", allowed}}};
  }
  if (purge_queued(store, *service)) {
    return Refusal{409, "purge_in_progress", fmt::format("service {} is being purged", service_id), "",
                   nullptr};
  }
  if (auto busy = backup_on_its_way(store, *service)) return BackupQueued{std::move(*busy), false};
  const int number = store.count_service_actions(service->ext_id, ActionKind::backup) + 1;
  auto action = policy::panel_action(*service, ActionKind::backup, "service.backup", "requested",
                                     policy::ActionKey::of_service(service->id, "backup", number), "backup",
                                     now, {{"requested_by", actor}});
  store.add_action(action, now, fmt::format("backup of {} asked by {}", service_id, actor));
  store.audit({0, now, actor, "customer:" + service->customer_ext_id, "backup_requested",
               nlohmann::json{{"service", service_id},
                              {"action", action.key},
                              {"rule", fmt::format("backups.allowed_in includes {}", state)}}
                   .dump()});
  return BackupQueued{*store.action_by_key(action.key), true};
}

}  // namespace cobrador::service
