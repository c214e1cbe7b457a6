// Every outbox action's idempotency key, built one way (ARCHITECTURE rule 1: the same action is
// the same key, whoever queues it and however often). The scheme is
//
//   <subject>:<occasion>[:<part>...]
//
// subject   c<customer id> | s<service id>
// occasion  e<episode number>            the walk's stages and the episode's end (c...)
//           m<n>                         the n-th suspension or unsuspension by hand (c...)
//           cancellation<id> | lock<id>  the end of a relationship (s...)
//           backup<n>                    the n-th backup asked for (s...)
//           claim<payment id>            a payment claim that expired unconfirmed (c...)
//           payment<payment id>          bank money written back to its billing system (c...)
// part      the stage, the kind and the target; a notice adds notify:<channel>:<address>
//
// A follow-up (the notice that a backup is ready) extends the key of the action it follows.
// The texts are those every earlier version wrote: the outbox deduplicates on them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "domain/entities.hpp"

namespace cobrador::policy {

// The stage of what an operator does by hand, and of what an episode's end queues.
inline constexpr std::string_view kManualStage = "manual";
inline constexpr std::string_view kEndStage = "end";

class ActionKey {
 public:
  static ActionKey episode(std::int64_t customer_id, int episode_number);
  static ActionKey by_hand(std::int64_t customer_id, int number);
  // `occasion` is cancellation, lock or backup; `id` the cancellation's, the lock's or the n-th.
  // What follows payment claim `payment_id` of the customer (its claim_unconfirmed notice).
  static ActionKey of_claim(std::int64_t customer_id, std::int64_t payment_id);
  // The writing back of payment `payment_id` to the billing system its invoice came from.
  static ActionKey of_payment(std::int64_t customer_id, std::int64_t payment_id);
  static ActionKey of_service(std::int64_t service_id, std::string_view occasion, std::int64_t id);
  // "cancellation:7" or "lock:2" (a purge's origin) for `service_id`.
  static ActionKey of_origin(std::int64_t service_id, std::string_view origin);
  static ActionKey following(const Action& action);

  // This key with one more part.
  ActionKey then(std::string_view part) const;
  // The key of stage `stage`'s `kind` on `target` in this scope.
  ActionKey then(std::string_view stage, ActionKind kind, std::string_view target) const;
  const std::string& text() const { return text_; }

 private:
  explicit ActionKey(std::string text) : text_(std::move(text)) {}
  std::string text_;
};

}  // namespace cobrador::policy
