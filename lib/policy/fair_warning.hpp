// Fair warning (SPEC §5 `min_notice_days`): a stage that takes a service away (suspend, lock)
// waits until the customer was actually warned. The warning is the notice of the latest
// earlier stage that notifies and ran in the episode; the effect waits while it is queued,
// for min_notice_days after it went out, and, if it never went out (every notice failed or
// dead, or no contact on its channels), until it does: the operator is told why.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>

#include "domain/date.hpp"
#include "policy/policy.hpp"
#include "policy/snapshot.hpp"

namespace cobrador::policy {

struct WarningHold {
  std::string warning;       // the warning's stage
  std::string reason;        // the rule, in words, for the stage_held audit row
  Date until;                // when the effect is looked at again
  bool undelivered = false;  // the warning never went out: an operator alert
};

// The stage whose notice warns of stage `effect_index`: the latest earlier stage that has
// `notify` and ran (not superseded) in the episode. nullptr when none did.
const Stage* warning_stage(const Policy& policy, std::size_t effect_index,
                           const std::map<std::string, StageRun>& runs);

// Why the effect stage `effect_index`, due `today`, must wait for its warning, or nullopt if
// the warning allows it today. `runs` and `notices` are the episode's with today's included
// (a notice decided today counts as pending). min_notice_days 0 turns the rule off; with no
// warning stage run in the episode there is nothing to wait for.
std::optional<WarningHold> fair_warning_hold(const Policy& policy, std::size_t effect_index,
                                             const std::map<std::string, StageRun>& runs,
                                             const std::map<std::string, StageNotices>& notices, Date today);

}  // namespace cobrador::policy
