// Instants: a point in UTC to the second, written as ISO 8601 with a Z. They live below the
// domain because the clock (util/clock) reads one from COBRADOR_NOW; domain/date.hpp re-exports
// them beside the calendar dates.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace cobrador {

using Instant = std::chrono::sys_seconds;

// ISO 8601 in UTC with a Z: "2026-11-23T13:45:00Z".
std::string format_instant(Instant at);
Result<Instant> parse_instant(std::string_view text);

// True when `text` starts with YYYY-MM-DDTHH:MM:SS, digits where the letters are. date.h's %T
// rounds the seconds it reads into an uninitialized long double even when the hours or minutes
// did not read: undefined behaviour (the fuzzer found it, docs/reliability.md). Parsers of
// these forms check the shape before they call date::parse.
bool starts_with_date_time(std::string_view text);

}  // namespace cobrador
