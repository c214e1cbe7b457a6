// "Did dunning work?" (the console's Dunning page and `report monthly`): how the episodes that
// started in a period ended, the money recovered, how long recovery took, and which stage the
// money came after. Pure: the facts of each episode, as the store reads them, and the policy
// (the order of its stages, and which lock) in; the figures out.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "domain/date.hpp"

namespace cobrador::policy {

struct Policy;

// One episode, as the store knows it.
struct EpisodeFacts {
  std::int64_t id = 0;
  Date started_on;
  std::optional<Date> ended_on;     // the day it ended (UTC), none while open
  std::vector<std::string> stages;  // the stages that ran in it and still stand
  bool suspended = false;           // a suspension of it was carried out by a panel
  bool promise_kept = false;        // a trust release of it ended kept
  // Confirmed payments on the customer's invoices received from its start to its end, by
  // currency code, in minor units.
  std::map<std::string, std::int64_t> recovered;
  std::string cause;  // the cause of its non-payment (docs/tasks.md); empty when nobody learned it
};

// How an episode ended, in the order they are told apart: an episode that reached a locking
// stage is `locked` whatever came after; then a kept promise; then money after or before a
// suspension; an episode that ended with no money (a voided invoice, a credit) is
// `ended_unpaid`.
enum class EpisodeEnd {
  paid_before_suspension,
  paid_after_suspension,
  promise_kept,
  locked,
  ended_unpaid,
  open
};
std::string_view to_string(EpisodeEnd end);
EpisodeEnd episode_end(const EpisodeFacts& episode, const Policy& policy);

struct StageRecovery {
  std::string stage;           // the last stage the episode reached; "none" before any
  std::int64_t episodes = 0;   // that stopped there
  std::int64_t recovered = 0;  // of them, ended with money
};

struct DunningOutcomes {
  std::int64_t episodes = 0;
  std::vector<std::pair<EpisodeEnd, std::int64_t>> by_end;  // every end, in enum order
  std::map<std::string, std::int64_t> recovered;            // currency code -> minor units
  // Days from the start to the end of the episodes that ended with money, in buckets
  // ("0-3", "4-7", "8-14", "15-30", "31-60", "61+"), every bucket present.
  std::vector<std::pair<std::string, std::int64_t>> days_to_recovery;
  std::vector<StageRecovery> by_last_stage;      // "none" first, then the policy's stages in order
  std::map<std::string, std::int64_t> by_cause;  // episodes by cause; "unknown" when nobody learned it
};

DunningOutcomes dunning_outcomes(std::span<const EpisodeFacts> episodes, const Policy& policy);

}  // namespace cobrador::policy
