// Implements simulate(): walk, deliver, next day; then roll everything back.
#include "walk/simulate.hpp"

#include <algorithm>
#include <span>

#include "walk/walk.hpp"

namespace cobrador::walk {

namespace {

void add_entries(std::vector<TimelineEntry>& timeline, Date day, const CustomerDecision& outcome) {
  for (const auto& line : outcome.decision.explanations) {
    timeline.push_back({day, outcome.customer, line.event, line.stage, line.rule});
  }
  for (const auto& action : outcome.decision.actions) {
    timeline.push_back({day, outcome.customer, "action", action.stage,
                        std::string(to_string(action.kind)) + " " + action.target});
  }
}

// Plays a dispatcher that always succeeds: every action due by `now` is delivered a minute later
// (those of `only_customer` when the forecast is of one customer).
void deliver_due(store::OutboxStore& store, Instant now, std::optional<std::int64_t> only_customer) {
  store::ActionFilter pending;
  pending.state = ActionState::pending;
  pending.customer_id = only_customer;
  for (const auto& action : store.actions(pending)) {
    if (action.next_attempt_at > now + std::chrono::hours{24}) continue;
    store.complete_action(action.id, std::max(now, action.next_attempt_at) + std::chrono::minutes{1},
                          "simulated");
  }
}

}  // namespace

std::vector<TimelineEntry> simulate(store::Store& store, const policy::Policy& policy, Date from, int days,
                                    std::optional<std::int64_t> only_customer) {
  std::vector<TimelineEntry> timeline;
  WalkOptions options;
  options.keep_decisions = true;
  options.actor = "simulation";
  store.begin();
  try {
    for (int i = 0; i < days; ++i) {
      const Date day = from + date::days{i};
      const Instant now = policy.instant_at(day, policy.run_at_minute);
      WalkReport report;
      std::vector<std::int64_t> ids;
      if (only_customer) {
        if (store.customer_due(day, *only_customer)) ids = {*only_customer};
      } else {
        ids = store.customers_due(day, 0, 1'000'000'000);
      }
      const auto batch = static_cast<std::size_t>(std::max(1, options.batch_size));
      for (std::size_t start = 0; start < ids.size(); start += batch)
        walk_customers(store, policy, now, std::span(ids).subspan(start, std::min(batch, ids.size() - start)),
                       options, report);
      for (const auto& outcome : report.decisions) add_entries(timeline, day, outcome);
      deliver_due(store, now, only_customer);
    }
  } catch (...) {
    store.rollback();
    throw;
  }
  store.rollback();
  return timeline;
}

}  // namespace cobrador::walk
