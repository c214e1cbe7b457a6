// The rules of suspension by hand (docs/correctness.md, SPEC §10), pure: when an operator may
// suspend or lift a suspension, and what doing so means for the panel. The use case
// (service/suspension.cpp) fetches the facts, writes the hold and carries the step out.
#pragma once

#include <optional>
#include <string>

#include "domain/entities.hpp"

namespace cobrador::policy {

struct HandFacts {
  std::string service;  // its id, for the messages
  std::string panel;
  ServiceState state = ServiceState::active;
  std::string suspend_reason;
  std::optional<std::string> hold;  // the operator's reason, while suspended by hand
  // Suspending: an unsuspension (for a payment) is being sent to the panel right now.
  bool unsuspend_in_flight = false;
  // Lifting: the suspension by hand is being sent to the panel right now.
  bool hand_suspend_in_flight = false;
  // Lifting: the open dunning episode would have the service off anyway (policy::suspended_by_episode).
  bool owed_for_episode = false;
};

struct HandStep {
  enum class Kind {
    refuse,      // a conflict: `text` says why; nothing changes
    call_panel,  // queue the panel call (suspend or unsuspend)
    keep_off,    // the service stays off on the panel, now for `suspend_reason`
    nothing,     // the panel never saw the suspension: nothing to undo there
  };
  Kind kind = Kind::refuse;
  std::string text;            // refuse: why; otherwise the outcome, for the audit trail
  std::string suspend_reason;  // keep_off: the reason the suspension now stands for
};

// Suspending `facts.service` by hand for `reason`.
HandStep suspend_by_hand_step(const HandFacts& facts, const std::string& reason);
// Lifting the suspension by hand of `facts.service`.
HandStep unsuspend_by_hand_step(const HandFacts& facts);

}  // namespace cobrador::policy
