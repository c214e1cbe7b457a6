// Implements dispatch/record.hpp.
#include "dispatch/record.hpp"

#include <fmt/format.h>

#include "dispatch/dispatcher.hpp"
#include "dispatch/follow_ups.hpp"
#include "util/dump_json.hpp"

namespace cobrador::dispatch {

namespace {

using hooks::Outcome;

std::string reply_of(const Outcome& outcome) {
  if (outcome.location.empty()) return outcome.detail;
  return fmt::format("{}; location: {}", outcome.detail, outcome.location);
}

Recorded record_done(store::OutboxStore& store, const Action& action, const Delivery& delivery, Instant now) {
  // Recorded even if the lease was lost meanwhile: the panel did act, and the store must say so.
  store.complete_action(action.id, now, reply_of(delivery.outcome));
  if (!delivery.evidence.is_null()) {
    const auto customer = store.customer(action.customer_id);
    const auto subject = customer ? "customer:" + customer->ext_id : "action:" + action.key;
    store.audit({0, now, "system", subject, "notice_sent", dump_json(delivery.evidence)});
  }
  return queue_follow_ups(store, action, now) ? Recorded::done_and_queued : Recorded::done;
}

Recorded record_retry(store::OutboxStore& store, const Action& action, const Outcome& outcome,
                      const AttemptContext& ctx) {
  const int failed_attempts = action.attempts + 1;
  if (failed_attempts >= ctx.rules.max_attempts) {
    const auto error =
        fmt::format("{} (attempt {} of {})", outcome.detail, failed_attempts, ctx.rules.max_attempts);
    return store.give_up(action.id, ctx.owner, ActionState::dead, ctx.now, error) ? Recorded::dead
                                                                                  : Recorded::lost;
  }
  auto next = next_attempt_at(ctx.now, failed_attempts, outcome.retry_after, ctx.rules.backoff, ctx.random01);
  next = sms_send_time(action, next, ctx.sms_quiet);
  return store.retry_later(action.id, ctx.owner, ctx.now, next, outcome.detail) ? Recorded::retried
                                                                                : Recorded::lost;
}

}  // namespace

std::optional<Instant> retry_after_panel_failure(int attempts, Instant now, const RetryRules& rules,
                                                 double random01) {
  if (attempts >= rules.max_attempts) return std::nullopt;
  return next_attempt_at(now, attempts, std::nullopt, rules.backoff, random01);
}

Instant sms_send_time(const Action& action, Instant at, const std::optional<SmsQuietHours>& quiet) {
  if (!quiet || !quiet->zone || action.kind != ActionKind::notify || !action.target.starts_with("sms:"))
    return at;
  return policy::next_allowed_send(at, quiet->window, *quiet->zone);
}

Recorded record_delivery(store::OutboxStore& store, const Action& action, const Delivery& delivery,
                         const AttemptContext& ctx) {
  const auto& outcome = delivery.outcome;
  switch (outcome.kind) {
    case Outcome::Kind::done:
      return record_done(store, action, delivery, ctx.now);
    case Outcome::Kind::accepted:
      return store.await_callback(action.id, ctx.owner, ctx.now, ctx.now + ctx.rules.callback_wait,
                                  outcome.detail)
                 ? Recorded::accepted
                 : Recorded::lost;
    case Outcome::Kind::retry:
      return record_retry(store, action, outcome, ctx);
    case Outcome::Kind::failed:
      return store.give_up(action.id, ctx.owner, ActionState::failed, ctx.now, outcome.detail)
                 ? Recorded::failed
                 : Recorded::lost;
    case Outcome::Kind::disable_panel:
      store.disable_panel(ctx.panel, ctx.now, outcome.detail);
      // Not the action's fault: it waits, untried, until the panel is enabled again.
      store.release_action(action.id, ctx.owner, ctx.now);
      return Recorded::panel_disabled;
  }
  return Recorded::lost;
}

namespace {

// Each outcome's word, and the counter it counts in. done_and_queued is a done action (see
// Recorded): the word and the counter do not tell the two apart.
struct RecordedRow {
  Recorded value;
  std::string_view name;
  int DispatchCounts::*counter;
};

constexpr RecordedRow kRecordedRows[]{
    {Recorded::done, "done", &DispatchCounts::done},
    {Recorded::done_and_queued, "done", &DispatchCounts::done},
    {Recorded::accepted, "accepted", &DispatchCounts::accepted},
    {Recorded::retried, "retried", &DispatchCounts::retried},
    {Recorded::failed, "failed", &DispatchCounts::failed},
    {Recorded::dead, "dead", &DispatchCounts::dead},
    {Recorded::panel_disabled, "panel_disabled", &DispatchCounts::panel_disabled},
    {Recorded::lost, "lost", &DispatchCounts::lost},
};

}  // namespace

std::string_view to_string(Recorded recorded) {
  for (const auto& row : kRecordedRows) {
    if (row.value == recorded) return row.name;
  }
  return "?";
}

void count(DispatchCounts& counts, Recorded recorded) {
  for (const auto& row : kRecordedRows) {
    if (row.value == recorded) ++(counts.*row.counter);
  }
}

}  // namespace cobrador::dispatch
