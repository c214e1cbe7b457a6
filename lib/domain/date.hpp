// Calendar dates and instants. A Date is a civil day (no time zone); an Instant is a point
// in UTC. "Today" for the policy is always the civil date in the policy's time zone, computed
// by the caller from an Instant: nothing here reads the clock.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include <date/date.h>

#include "util/instant.hpp"
#include "util/result.hpp"

namespace cobrador {

using Date = date::sys_days;

// Strict YYYY-MM-DD (what SPEC §8 asks of import files); "2026-2-30" and trailing text are refused.
Result<Date> parse_date(std::string_view text);
std::string format_date(Date day);
// Instants (format_instant, parse_instant) come from util/instant.hpp.

// The store keeps dates as day numbers and instants as Unix seconds (UTC).
inline std::int64_t to_day_number(Date day) { return day.time_since_epoch().count(); }
inline Date from_day_number(std::int64_t n) { return Date{date::days{n}}; }
inline std::int64_t to_unix(Instant at) { return at.time_since_epoch().count(); }
inline Instant from_unix(std::int64_t s) { return Instant{std::chrono::seconds{s}}; }

// Adds calendar months; a day past the end of the target month clamps to its last day
// (31 January + 1 month = 28/29 February), and the last day of a month maps to the last day
// of the target month (30 April + 1 month = 31 May), as SPEC §5 says for purge_after.
Date add_months(Date day, int months);
Date last_day_of_month(Date day);

}  // namespace cobrador
