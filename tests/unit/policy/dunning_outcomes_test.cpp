// "Did dunning work?" (policy/dunning_outcomes.hpp): how each episode ended, told apart in a fixed
// order, the money by currency, the days to recovery in buckets, and the recovery rate by the
// last stage reached.
#include <catch2/catch.hpp>

#include "policy/dunning_outcomes.hpp"
#include "policy/policy.hpp"

using namespace cobrador;
using namespace cobrador::policy;

namespace dunning_outcomes_test {

Policy ladder() {
  auto parsed = parse_policy(
      "timezone: UTC\nstages:\n"
      "  - name: reminder\n    when: { days_overdue: 3 }\n    notify: [email]\n    template: "
      "payment_reminder\n"
      "  - name: suspend\n    when: { days_overdue: 5 }\n    suspend: billed_services\n"
      "  - name: lock\n    when: { days_overdue: 40 }\n    lock: true\n",
      "policy.yaml");
  REQUIRE(parsed);
  return *parsed;
}

EpisodeFacts episode(std::int64_t id, const char* started, std::optional<const char*> ended,
                     std::vector<std::string> stages, std::int64_t brl = 0) {
  EpisodeFacts facts;
  facts.id = id;
  facts.started_on = *parse_date(started);
  if (ended) facts.ended_on = *parse_date(*ended);
  facts.stages = std::move(stages);
  if (brl) facts.recovered["BRL"] = brl;
  return facts;
}

}  // namespace dunning_outcomes_test

using namespace dunning_outcomes_test;

TEST_CASE("each episode ends one way: locked, kept promise, paid after or before a suspension, unpaid, open",
          "[policy]") {
  const auto policy = ladder();
  auto paid_early = episode(1, "2026-03-03", "2026-03-06", {"reminder"}, 4990);
  auto paid_late = episode(2, "2026-03-03", "2026-03-20", {"reminder", "suspend"}, 10000);
  paid_late.suspended = true;
  auto kept = episode(3, "2026-03-03", "2026-03-12", {"reminder", "suspend"}, 2000);
  kept.promise_kept = true;
  kept.suspended = true;
  const auto locked = episode(4, "2026-03-03", "2026-04-20", {"reminder", "suspend", "lock"}, 500);
  const auto voided = episode(5, "2026-03-04", "2026-03-05", {});
  const auto open = episode(6, "2026-03-10", std::nullopt, {"reminder"});
  CHECK(episode_end(paid_early, policy) == EpisodeEnd::paid_before_suspension);
  CHECK(episode_end(paid_late, policy) == EpisodeEnd::paid_after_suspension);
  CHECK(episode_end(kept, policy) == EpisodeEnd::promise_kept);
  CHECK(episode_end(locked, policy) == EpisodeEnd::locked);
  CHECK(episode_end(voided, policy) == EpisodeEnd::ended_unpaid);
  CHECK(episode_end(open, policy) == EpisodeEnd::open);
  // A suspension carried out that stayed unpaid and then was voided is not "paid".
  auto suspended_voided = episode(7, "2026-03-03", "2026-03-30", {"reminder", "suspend"});
  suspended_voided.suspended = true;
  CHECK(episode_end(suspended_voided, policy) == EpisodeEnd::ended_unpaid);

  paid_late.cause = "hardship";
  kept.cause = "hardship";
  const std::vector<EpisodeFacts> all{paid_early, paid_late, kept, locked, voided, open};
  const auto outcomes = dunning_outcomes(all, policy);
  CHECK(outcomes.episodes == 6);
  REQUIRE(outcomes.by_end.size() == 6);
  for (const auto& [end, n] : outcomes.by_end) CHECK(n == 1);
  CHECK(outcomes.recovered == std::map<std::string, std::int64_t>{{"BRL", 4990 + 10000 + 2000 + 500}});
  // Recovered: 3 days (0-3), 17 days (15-30), 9 days (8-14); the locked one's money is no recovery.
  CHECK(outcomes.days_to_recovery ==
        std::vector<std::pair<std::string, std::int64_t>>{
            {"0-3", 1}, {"4-7", 0}, {"8-14", 1}, {"15-30", 1}, {"31-60", 0}, {"61+", 0}});
  REQUIRE(outcomes.by_last_stage.size() == 4);
  CHECK(outcomes.by_last_stage[0].stage == "none");
  CHECK(outcomes.by_last_stage[0].episodes == 1);  // the voided one
  CHECK(outcomes.by_last_stage[0].recovered == 0);
  CHECK(outcomes.by_last_stage[1].stage == "reminder");
  CHECK(outcomes.by_last_stage[1].episodes == 2);  // paid early, and the open one
  CHECK(outcomes.by_last_stage[1].recovered == 1);
  CHECK(outcomes.by_last_stage[2].stage == "suspend");
  CHECK(outcomes.by_last_stage[2].episodes == 2);
  CHECK(outcomes.by_last_stage[2].recovered == 2);
  CHECK(outcomes.by_last_stage[3].stage == "lock");
  CHECK(outcomes.by_last_stage[3].recovered == 0);
  // By cause: "unknown" where nobody learned it.
  CHECK(outcomes.by_cause == std::map<std::string, std::int64_t>{{"hardship", 2}, {"unknown", 4}});
}

TEST_CASE("no episodes: every figure is there, at zero", "[policy]") {
  const auto outcomes = dunning_outcomes({}, ladder());
  CHECK(outcomes.episodes == 0);
  CHECK(outcomes.by_end.size() == 6);
  CHECK(outcomes.days_to_recovery.size() == 6);
  CHECK(outcomes.recovered.empty());
  CHECK(outcomes.by_last_stage.size() == 4);
  CHECK(outcomes.by_cause.empty());
}
