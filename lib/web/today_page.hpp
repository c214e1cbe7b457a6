// The console's first page, "Today": customers per stage, what the last walk did and how long
// it took, the outbox by state, the open tasks, and the next 30 days from the forecast.
#pragma once

#include <vector>

#include "policy/policy.hpp"
#include "store/store.hpp"
#include "walk/simulate.hpp"
#include "web/html.hpp"

namespace cobrador::web {

// The forecast as the Today page charts it: per day, the stages the walk would run.
struct ForecastDays {
  Date from;
  std::vector<std::string> stages;              // the policy's, in order
  std::vector<std::vector<std::int64_t>> runs;  // [stage][day]
};

// Counts `timeline` (walk::simulate's) per stage and day.
ForecastDays forecast_days(const policy::Policy& policy, Date from, int days,
                           const std::vector<walk::TimelineEntry>& timeline);

// The page's body, from the store as it is now and the forecast given.
Html today_body(store::Store& store, const policy::Policy& policy, Instant now, const ForecastDays& forecast);

}  // namespace cobrador::web
