// The console's "Did dunning work?" page: per month, how the episodes that started ended, the
// money recovered per currency, the days recovery took, the recovery rate by the last stage
// reached (did the warning or the suspension bring the money?) and the causes of non-payment.
// The same figures as `cobradorctl report monthly` (service::monthly_report), drawn.
#pragma once

#include <optional>
#include <string>

#include "policy/policy.hpp"
#include "store/store.hpp"
#include "web/html.hpp"

namespace cobrador::web {

// `month` is YYYY-MM, or empty for this month; nothing when it is not a month.
std::optional<Html> dunning_body(store::Store& store, const policy::Policy& policy, Instant now,
                                 const std::string& month);

}  // namespace cobrador::web
