// The outbox face (ARCHITECTURE rule 1): the actions the walk, the operator and the
// lifecycle queue, and their delivery by the dispatcher (lib/dispatch), the panels'
// callbacks (lib/http) and `cobradorctl retry`. It reads the book (whom an action is for)
// and writes the audit trail beside every change.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/entities.hpp"
#include "store/audit_trail.hpp"
#include "store/book.hpp"
#include "store/records.hpp"
#include "util/result.hpp"

namespace cobrador::store {

class OutboxStore : public virtual Book, public virtual AuditTrail {
 public:
  virtual std::vector<Action> actions(const ActionFilter& filter) = 0;
  virtual std::optional<Action> action_by_key(std::string_view key) = 0;
  // The action was delivered (the panel said yes, the mail server accepted): marks it done and
  // applies what that means (a suspend makes the service suspended for its reason).
  virtual void complete_action(std::int64_t action_id, Instant at, std::string_view reply) = 0;
  // A panel's "done" callback: completes the action as complete_action does, but only while it
  // is in flight (a dispatcher's call under way, or waiting for that callback). False, and
  // nothing changed, for an action in any other state: a dead, failed, cancelled or pending
  // action was given up or is to be sent again, and a done one is done (docs/dispatch.md).
  virtual bool complete_action_in_flight(std::int64_t action_id, Instant at, std::string_view reply) = 0;

  // ---- The dispatcher's part (lib/dispatch; sql_store_outbox.cpp) ----
  // Every method runs inside the caller's write transaction. `owner` names one dispatcher
  // (host:pid:nonce); a method that takes it changes an action only while that owner holds
  // its lease, so a dispatcher that lost an action to another never overwrites its result.

  // Takes up to `limit` actions due at `now` and leases them to `owner` until `lease_until`:
  // first in-flight ones whose lease ran out (their dispatcher died, or a panel never called
  // back), then pending ones whose next attempt has come, oldest first. Actions for a
  // disabled panel, or named in `skip`, are left alone. The claimed actions come back in_flight.
  virtual std::vector<Action> claim_actions(Instant now, std::string_view owner, Instant lease_until,
                                            int limit, const ClaimSkip& skip) = 0;
  // The last look before an action goes out: `send` renews the lease to `lease_until`;
  // `cancelled` when its episode ended meanwhile (it is cancelled and audited: a notice about
  // a debt that was paid must not go out); `lost` when the action is no longer ours.
  virtual SendCheck confirm_send(std::int64_t action_id, std::string_view owner, Instant now,
                                 Instant lease_until) = 0;
  // An attempt failed for a reason that may pass: pending again at `next_attempt_at`,
  // attempts + 1, the error kept and audited.
  virtual bool retry_later(std::int64_t action_id, std::string_view owner, Instant now,
                           Instant next_attempt_at, std::string_view error) = 0;
  // Gives up on an action: `dead` (too many attempts) or `failed` (refused for good). Attempts
  // + 1, audited, and an alert for the operator.
  virtual bool give_up(std::int64_t action_id, std::string_view owner, ActionState state, Instant now,
                       std::string_view error) = 0;
  // The panel took the action and will call back: it stays in_flight, held by "callback"
  // until `until`; if no callback comes by then it is claimed and sent again (same key).
  virtual bool await_callback(std::int64_t action_id, std::string_view owner, Instant now, Instant until,
                              std::string_view detail) = 0;
  // Hands a claimed action back unattempted (quiet hours, a disabled panel, a stopping
  // dispatcher): pending at `next_attempt_at`, attempts unchanged.
  virtual bool release_action(std::int64_t action_id, std::string_view owner, Instant next_attempt_at) = 0;
  // `cobradorctl retry`: a dead or failed action (by id or key) is pending again now with a
  // fresh count of attempts; its open alerts are acknowledged. An Error says why not.
  virtual Result<Action> retry_action(std::string_view id_or_key, Instant now, std::string_view actor) = 0;
  // A panel answered 410 Gone: it is called no more until an operator enables it again.
  // Returns false if it was already disabled; a new one is audited and alerted.
  virtual bool disable_panel(std::string_view panel, Instant now, std::string_view reason) = 0;
  // Queues an action the dispatcher derived from another (the reactivation notice after an
  // unsuspension); false when one with the same key exists. Audited with `why`.
  virtual bool add_action(const Action& action, Instant now, std::string_view why) = 0;
  virtual std::optional<EpisodeState> episode_state(std::int64_t episode_id) = 0;
  virtual std::vector<Action> episode_actions(std::int64_t episode_id) = 0;
  // Where a done backup action says the backup went ("" when the panel did not say).
  virtual std::string backup_location(std::int64_t action_id) = 0;

  // A panel called back to say an asynchronous action failed. The action, if it still waits
  // for that callback, is pending again at `retry_at` with the panel's words as its error, or
  // dead (and alerted) when `retry_at` is empty: its attempts are used up. False when the
  // action was not waiting for a callback (nothing changed).
  virtual bool fail_action_by_panel(std::int64_t action_id, Instant at, std::string_view panel,
                                    std::string_view detail, std::optional<Instant> retry_at) = 0;
  // Cancels a pending or failed action that is no longer due; `why` is kept and audited on the
  // customer. False when the action is in another state (in flight, done...). The one way to
  // drop a queued action: suspension by hand, trust releases and re-engagement all use it.
  virtual bool cancel_action(std::int64_t action_id, Instant now, std::string_view actor,
                             std::string_view why) = 0;

  // For /metrics.
  virtual OutboxCounts outbox_counts() = 0;
};

// Adds each of `actions` (add_action: one already queued under its key is left as it is);
// returns how many were new.
int add_actions(OutboxStore& store, const std::vector<Action>& actions, Instant now, std::string_view why);

}  // namespace cobrador::store
