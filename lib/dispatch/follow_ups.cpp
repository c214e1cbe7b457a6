// Implements dispatch/follow_ups.hpp.
#include "dispatch/follow_ups.hpp"

#include <fmt/format.h>

#include "dispatch/notice.hpp"
#include "policy/outbox_actions.hpp"

namespace cobrador::dispatch {

namespace {

bool is_end_unsuspend(const Action& action) {
  return action.kind == ActionKind::unsuspend && action.stage == policy::kEndStage;
}

// The services the episode's end reactivated, or nothing while some are still on their way.
std::vector<std::string> reactivated_services(store::OutboxStore& store, const Action& done) {
  std::vector<std::string> services;
  for (const auto& action : store.episode_actions(done.episode_id)) {
    if (!is_end_unsuspend(action)) continue;
    const auto state = action.id == done.id ? ActionState::done : action.state;
    if (state == ActionState::done) services.push_back(action.target);
    // Dead and cancelled ones were not reactivated and are not waited for.
    if (state == ActionState::pending || state == ActionState::in_flight || state == ActionState::failed)
      return {};
  }
  return services;
}

bool queue_reactivated_notice(store::OutboxStore& store, const Action& done, Instant now) {
  const auto services = reactivated_services(store, done);
  const auto customer = store.customer(done.customer_id);
  const auto episode = store.episode_state(done.episode_id);
  if (services.empty() || !customer || customer->emails.empty() || !episode) return false;
  const auto notice = policy::reactivation_notice(*customer, done.episode_id, episode->number, services, now);
  return store.add_action(notice, now, fmt::format("services reactivated: {}", policy::join_names(services)));
}

bool undo_late_suspension(store::OutboxStore& store, const Action& done, Instant now) {
  if (!policy::undone_if_late(done)) return false;
  const auto episode = store.episode_state(done.episode_id);
  if (!episode || !episode->ended) return false;
  return store.add_action(
      policy::late_suspension_undo(done, episode->number, now), now,
      fmt::format("episode {} ended while the suspension of {} was in flight", episode->number, done.target));
}

// The backup_ready notice once a backup is done, with where the panel put it.
bool queue_backup_ready(store::OutboxStore& store, const Action& done, Instant now) {
  if (done.kind != ActionKind::backup || done.customer_id == 0) return false;
  const auto customer = store.customer(done.customer_id);
  if (!customer) return false;
  const auto location = store.backup_location(done.id);
  const auto notices = policy::customer_notices(*customer, "backup_ready",
                                                {{"services", done.target}, {"backup_location", location}},
                                                policy::ActionKey::following(done), false, now);
  return store::add_actions(store, notices, now,
                            fmt::format("backup of {} done: {}", done.target,
                                        location.empty() ? "the panel gave no location" : location)) > 0;
}

}  // namespace

bool queue_follow_ups(store::OutboxStore& store, const Action& done, Instant now) {
  if (done.kind == ActionKind::backup) return queue_backup_ready(store, done, now);
  if (done.episode_id == 0 || done.customer_id == 0) return false;
  if (is_end_unsuspend(done)) return queue_reactivated_notice(store, done, now);
  if (done.kind == ActionKind::suspend) return undo_late_suspension(store, done, now);
  return false;
}

}  // namespace cobrador::dispatch
