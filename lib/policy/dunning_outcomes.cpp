// Implements policy/dunning_outcomes.hpp.
#include "policy/dunning_outcomes.hpp"

#include <algorithm>
#include <array>

#include "policy/policy.hpp"

namespace cobrador::policy {

namespace {

constexpr std::array kEnds{EpisodeEnd::paid_before_suspension, EpisodeEnd::paid_after_suspension,
                           EpisodeEnd::promise_kept,           EpisodeEnd::locked,
                           EpisodeEnd::ended_unpaid,           EpisodeEnd::open};

struct Bucket {
  const char* label;
  int up_to;  // days, inclusive
};
constexpr std::array kBuckets{Bucket{"0-3", 3},    Bucket{"4-7", 7},    Bucket{"8-14", 14},
                              Bucket{"15-30", 30}, Bucket{"31-60", 60}, Bucket{"61+", 1 << 30}};

bool has_money(const EpisodeFacts& episode) {
  return std::any_of(episode.recovered.begin(), episode.recovered.end(),
                     [](const auto& money) { return money.second > 0; });
}

// The position in the policy of the last stage the episode reached, or -1.
int last_stage(const EpisodeFacts& episode, const Policy& policy) {
  int last = -1;
  for (std::size_t i = 0; i < policy.stages.size(); ++i) {
    if (std::find(episode.stages.begin(), episode.stages.end(), policy.stages[i].name) !=
        episode.stages.end())
      last = static_cast<int>(i);
  }
  return last;
}

}  // namespace

std::string_view to_string(EpisodeEnd end) {
  switch (end) {
    case EpisodeEnd::paid_before_suspension:
      return "paid_before_suspension";
    case EpisodeEnd::paid_after_suspension:
      return "paid_after_suspension";
    case EpisodeEnd::promise_kept:
      return "promise_kept";
    case EpisodeEnd::locked:
      return "locked";
    case EpisodeEnd::ended_unpaid:
      return "ended_unpaid";
    case EpisodeEnd::open:
      return "open";
  }
  return "open";
}

EpisodeEnd episode_end(const EpisodeFacts& episode, const Policy& policy) {
  for (const auto& stage : policy.stages) {
    if (stage.lock &&
        std::find(episode.stages.begin(), episode.stages.end(), stage.name) != episode.stages.end())
      return EpisodeEnd::locked;
  }
  if (!episode.ended_on) return EpisodeEnd::open;
  if (episode.promise_kept) return EpisodeEnd::promise_kept;
  if (!has_money(episode)) return EpisodeEnd::ended_unpaid;
  return episode.suspended ? EpisodeEnd::paid_after_suspension : EpisodeEnd::paid_before_suspension;
}

DunningOutcomes dunning_outcomes(std::span<const EpisodeFacts> episodes, const Policy& policy) {
  DunningOutcomes out;
  out.episodes = static_cast<std::int64_t>(episodes.size());
  std::array<std::int64_t, kEnds.size()> ends{};
  std::array<std::int64_t, kBuckets.size()> days{};
  std::vector<StageRecovery> stages(policy.stages.size() + 1);
  stages[0].stage = "none";
  for (std::size_t i = 0; i < policy.stages.size(); ++i) stages[i + 1].stage = policy.stages[i].name;
  for (const auto& episode : episodes) {
    const auto end = episode_end(episode, policy);
    ++ends[static_cast<std::size_t>(end)];
    ++out.by_cause[episode.cause.empty() ? "unknown" : episode.cause];
    for (const auto& [currency, minor] : episode.recovered) out.recovered[currency] += minor;
    const bool recovered = episode.ended_on && has_money(episode) && end != EpisodeEnd::locked;
    auto& stage = stages[static_cast<std::size_t>(last_stage(episode, policy) + 1)];
    ++stage.episodes;
    if (recovered) {
      ++stage.recovered;
      const auto took = std::max<int>(0, static_cast<int>((*episode.ended_on - episode.started_on).count()));
      const auto bucket =
          std::find_if(kBuckets.begin(), kBuckets.end(), [took](const Bucket& b) { return took <= b.up_to; });
      ++days[static_cast<std::size_t>(bucket - kBuckets.begin())];
    }
  }
  for (std::size_t i = 0; i < kEnds.size(); ++i) out.by_end.emplace_back(kEnds[i], ends[i]);
  for (std::size_t i = 0; i < kBuckets.size(); ++i)
    out.days_to_recovery.emplace_back(kBuckets[i].label, days[i]);
  out.by_last_stage = std::move(stages);
  return out;
}

}  // namespace cobrador::policy
