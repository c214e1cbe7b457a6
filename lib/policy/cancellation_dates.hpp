// When a cancellation takes effect and when the service's data is purged (SPEC §5
// `cancellation`). Pure: the asked-on day and the prepaid period come from the caller.
#pragma once

#include <optional>
#include <string>

#include "domain/date.hpp"
#include "policy/policy.hpp"

namespace cobrador::policy {

struct CancellationDates {
  Date service_end;  // the last day the service runs; the next walk deactivates it
  Date purge_on;     // the day its data is removed (purge_after counted from service_end)
  std::string rule;  // which rule chose service_end, for the audit trail
};

// `asked_on` is the civil day of the request in the policy's zone. `prepaid_until` is the
// last day the customer has paid for, when known; with service_until: end_of_prepaid_period
// and a prepaid day on or after `asked_on` it is the end of service, otherwise the
// notice_day_of_month rule decides: asked on or before that day, the service ends at the end
// of this month; after it, at the end of next month (which is billed).
CancellationDates cancellation_dates(const Cancellation& rules, Date asked_on,
                                     std::optional<Date> prepaid_until);

}  // namespace cobrador::policy
