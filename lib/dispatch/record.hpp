// What the outcome of one attempt does to the outbox (docs/dispatch.md): done (the service
// changes state now, ARCHITECTURE rule 2), waiting for a panel's callback, retried later with
// backoff, dead after the last attempt, failed for good, or its panel disabled. Runs inside the
// caller's write transaction.
#pragma once

#include <optional>
#include <string_view>

#include <date/tz.h>

#include "dispatch/backoff.hpp"
#include "dispatch/delivery.hpp"
#include "policy/quiet_hours.hpp"
#include "store/outbox_store.hpp"

namespace cobrador::dispatch {

struct RetryRules {
  int max_attempts = 8;  // the attempt that reaches this and fails makes the action dead
  Backoff backoff;
  std::chrono::seconds callback_wait{std::chrono::hours(6)};  // a 202 waits this long for its callback
};

// policy.yaml's quiet_hours.sms, on the wall clock of the policy's time zone.
struct SmsQuietHours {
  policy::QuietWindow window;
  const date::time_zone* zone = nullptr;
};

// done_and_queued: done, and a follow-up action was queued (due now: worth a claim).
enum class Recorded { done, done_and_queued, accepted, retried, failed, dead, panel_disabled, lost };

struct AttemptContext {
  std::string_view owner;  // the dispatcher's lease name
  Instant now;
  const RetryRules& rules;
  const std::optional<SmsQuietHours>& sms_quiet;
  double random01;         // the jitter's draw
  std::string_view panel;  // the action's panel, for a panel action
};

Recorded record_delivery(store::OutboxStore& store, const Action& action, const Delivery& delivery,
                         const AttemptContext& context);

// A panel that answered 202 called back "failed": the attempt the 202 counted has failed, and
// the rules of a failed call apply. The moment of the next attempt, or nullopt when that was
// the last attempt allowed (the action is dead).
std::optional<Instant> retry_after_panel_failure(int attempts, Instant now, const RetryRules& rules,
                                                 double random01);

// An SMS may not leave inside quiet hours: the first moment from `at` on when it may.
Instant sms_send_time(const Action& action, Instant at, const std::optional<SmsQuietHours>& quiet);

std::string_view to_string(Recorded recorded);

struct DispatchCounts;  // dispatcher.hpp
// Adds one outcome to the counter it counts in.
void count(DispatchCounts& counts, Recorded recorded);

}  // namespace cobrador::dispatch
