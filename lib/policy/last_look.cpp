// Implements policy/last_look.hpp.
#include "policy/last_look.hpp"

#include <fmt/format.h>

#include "policy/action_key.hpp"

namespace cobrador::policy {

SendVerdict last_look(const SendFacts& facts) {
  if (!facts.found || !facts.ours) return {SendVerdict::Kind::lost, ""};
  // A payment never lifts a suspension made by hand (SPEC §10); only an operator does.
  if (facts.kind == ActionKind::unsuspend && facts.stage != kManualStage &&
      !facts.target_manual_reason.empty()) {
    return {SendVerdict::Kind::cancel,
            fmt::format("the service is suspended by hand ({}): only an operator lifts it",
                        facts.target_manual_reason)};
  }
  // Actions of an episode's end (the unsuspensions, the reactivation notice) are due because it
  // ended; everything else of an ended episode is stale.
  if (facts.episode_ended && facts.stage != kEndStage) {
    return {SendVerdict::Kind::cancel, fmt::format("episode {} ended before it went out: {}",
                                                   facts.episode_number, facts.episode_end_reason)};
  }
  return {SendVerdict::Kind::send, ""};
}

}  // namespace cobrador::policy
