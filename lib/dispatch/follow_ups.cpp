// Implements dispatch/follow_ups.hpp.
#include "dispatch/follow_ups.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "dispatch/notice.hpp"
#include "policy/decide.hpp"
#include "policy/outbox_actions.hpp"

namespace cobrador::dispatch {

namespace {

using nlohmann::json;

// The walk's key format (ARCHITECTURE rule 1), so that a follow-up and the walk agree on
// what one action is.
std::string key_for(std::int64_t customer_id, int episode, ActionKind kind, std::string_view target) {
  policy::CustomerSnapshot customer;
  customer.id = customer_id;
  return policy::action_key(customer, episode, "end", kind, target);
}

bool is_end_unsuspend(const Action& action) {
  return action.kind == ActionKind::unsuspend && action.stage == "end";
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
  const auto& address = customer->emails.front();
  const auto joined = policy::join_names(services);
  policy::NoticeRequest request{"reactivated",
                                customer->locale,
                                "email",
                                address,
                                customer->ext_id,
                                customer->name,
                                {{"customer_name", customer->name}, {"services", joined}}};
  Action notice;
  notice.target = "email:" + address;
  notice.key = key_for(customer->id, episode->number, ActionKind::notify, notice.target);
  notice.kind = ActionKind::notify;
  notice.customer_id = customer->id;
  notice.episode_id = done.episode_id;
  notice.stage = "end";
  notice.payload = policy::notice_payload(request);
  notice.next_attempt_at = now;
  return store.add_action(notice, now, fmt::format("services reactivated: {}", joined));
}

bool undo_late_suspension(store::OutboxStore& store, const Action& done, Instant now) {
  auto payload = json::parse(done.payload, nullptr, false);
  if (!payload.is_object() || payload.value("lock", false)) return false;
  if (payload.value("reason", std::string()) != kNonPayment) return false;
  const auto episode = store.episode_state(done.episode_id);
  if (!episode || !episode->ended) return false;
  payload["type"] = "service.unsuspend";
  payload.erase("mode");
  Action unsuspend;
  unsuspend.kind = ActionKind::unsuspend;
  unsuspend.target = done.target;
  unsuspend.key = key_for(done.customer_id, episode->number, ActionKind::unsuspend, done.target);
  unsuspend.customer_id = done.customer_id;
  unsuspend.episode_id = done.episode_id;
  unsuspend.stage = "end";
  unsuspend.payload = payload.dump();
  unsuspend.next_attempt_at = now;
  return store.add_action(
      unsuspend, now,
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
                                                done.key, false, now);
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
