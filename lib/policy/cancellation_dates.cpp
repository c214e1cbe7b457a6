// Implements policy/cancellation_dates.hpp.
#include "policy/cancellation_dates.hpp"

#include <fmt/format.h>

namespace cobrador::policy {

namespace {

CancellationDates by_notice_day(const Cancellation& rules, Date asked_on) {
  const auto day = static_cast<int>(static_cast<unsigned>(date::year_month_day{asked_on}.day()));
  if (day <= rules.notice_day_of_month) {
    return {last_day_of_month(asked_on),
            {},
            fmt::format("asked on day {} <= notice_day_of_month {}: ends at the end of this month", day,
                        rules.notice_day_of_month)};
  }
  return {last_day_of_month(add_months(asked_on, 1)),
          {},
          fmt::format("asked on day {} > notice_day_of_month {}: ends at the end of next month", day,
                      rules.notice_day_of_month)};
}

}  // namespace

CancellationDates cancellation_dates(const Cancellation& rules, Date asked_on,
                                     std::optional<Date> prepaid_until) {
  CancellationDates dates;
  if (rules.service_until == Cancellation::Until::end_of_prepaid_period && prepaid_until &&
      *prepaid_until >= asked_on) {
    dates = {*prepaid_until,
             {},
             fmt::format("service_until end_of_prepaid_period: paid until {}", format_date(*prepaid_until))};
  } else {
    dates = by_notice_day(rules, asked_on);
    if (rules.service_until == Cancellation::Until::end_of_prepaid_period) {
      dates.rule += " (no prepaid period runs past the request)";
    }
  }
  dates.purge_on = rules.purge_after.after(dates.service_end);
  return dates;
}

}  // namespace cobrador::policy
