// `cobradorctl simulate` and `forecast`: the walk run day after day on the real data inside
// a transaction that is rolled back, assuming every action is delivered a minute after it
// is due. Nothing is written; the answer is the timeline of what would happen.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "policy/policy.hpp"
#include "store/store.hpp"

namespace cobrador::walk {

struct TimelineEntry {
  Date day;
  std::string customer;  // ext id
  std::string event;     // stage_run, stage_held, episode_started, episode_ended, action
  std::string stage;
  std::string detail;  // the rule, or the action's kind and target
};

std::vector<TimelineEntry> simulate(store::Store& store, const policy::Policy& policy, Date from, int days,
                                    std::optional<std::int64_t> only_customer = std::nullopt);

}  // namespace cobrador::walk
