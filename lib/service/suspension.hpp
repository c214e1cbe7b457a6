// Suspension by hand (SPEC §3, §8, §10): an operator takes a service off for a reason of
// their own (abuse, the customer's request) and only an operator puts it back. One function
// each for `cobradorctl suspend|unsuspend` and POST|DELETE /v1/services/{id}/suspension.
#pragma once

#include <string>
#include <string_view>
#include <variant>

#include "policy/policy.hpp"
#include "store/store.hpp"

namespace cobrador::service {

struct HandSuspension {
  std::string service;     // ext id
  std::string customer;    // ext id
  std::string reason;      // the operator's reason
  std::string action_key;  // the panel call queued, "" when none was needed
  std::string outcome;     // what happened, in words, for the operator
};

struct HandRefusal {
  enum class Kind { not_found, conflict, invalid };
  Kind kind = Kind::invalid;
  std::string message;
};

using HandResult = std::variant<HandSuspension, HandRefusal>;

// Both run inside the caller's transaction and audit with `actor` (operator:<name>).

// Puts the operator's hold on the service at once and queues the panel's suspend (unless the
// panel has the service off already, in which case the suspension now carries this reason).
HandResult suspend_by_hand(store::ManualStore& store, std::string_view service_ext_id,
                           std::string_view reason, Instant now, const std::string& actor);

// Lifts the operator's hold: a suspend not sent yet is cancelled; a service the customer's
// open episode has taken off for non-payment stays suspended, now for non_payment; otherwise
// the panel's unsuspend is queued.
HandResult unsuspend_by_hand(store::Store& store, const policy::Policy& policy,
                             std::string_view service_ext_id, std::string_view reason, Instant now,
                             const std::string& actor);

}  // namespace cobrador::service
