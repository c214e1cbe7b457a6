// Implements quiet-hour windows on a time zone's wall clock.
#include "policy/quiet_hours.hpp"

#include <stdexcept>
#include <string>

#include <fmt/format.h>

namespace cobrador::policy {

namespace {

using std::chrono::minutes;

// "HH:MM" → minutes after midnight; hours 00-23, minutes 00-59.
Result<minutes> parse_time_of_day(std::string_view text) {
  const auto digit = [&](std::size_t i) { return text[i] >= '0' && text[i] <= '9'; };
  if (text.size() != 5 || text[2] != ':' || !digit(0) || !digit(1) || !digit(3) || !digit(4)) {
    return make_error("");
  }
  const int hours = (text[0] - '0') * 10 + (text[1] - '0');
  const int mins = (text[3] - '0') * 10 + (text[4] - '0');
  if (hours > 23 || mins > 59) return make_error("");
  return minutes{hours * 60 + mins};
}

// The UTC instant of a wall-clock time, choosing the occurrence not before `now` when the
// time happens twice, and the end of the gap when it never happens.
Instant to_instant(const date::time_zone& zone, date::local_seconds local, Instant now) {
  const date::local_info info = zone.get_info(local);
  switch (info.result) {
    case date::local_info::nonexistent:
      return info.first.end;
    case date::local_info::ambiguous: {
      const Instant first{local.time_since_epoch() - info.first.offset};
      if (first >= now) return first;
      return Instant{local.time_since_epoch() - info.second.offset};
    }
    default:
      return Instant{local.time_since_epoch() - info.first.offset};
  }
}

}  // namespace

Result<QuietWindow> parse_quiet_window(std::string_view text) {
  const std::string problem =
      fmt::format("quiet hours '{}': expected HH:MM-HH:MM with two different times", text);
  const auto dash = text.find('-');
  if (dash == std::string_view::npos) return make_error(problem);
  const auto start = parse_time_of_day(text.substr(0, dash));
  const auto end = parse_time_of_day(text.substr(dash + 1));
  if (!start || !end || *start == *end) return make_error(problem);
  return QuietWindow{*start, *end};
}

Instant next_allowed_send(Instant now, const QuietWindow& window, const date::time_zone& zone) {
  const date::local_seconds local = zone.to_local(now);
  const date::local_days today = date::floor<date::days>(local);
  const minutes time_of_day = date::floor<minutes>(local - today);
  const bool crosses_midnight = window.start > window.end;
  date::local_seconds opens;
  if (crosses_midnight && time_of_day >= window.start) {
    opens = today + date::days{1} + window.end;  // late evening: tomorrow morning
  } else if (crosses_midnight ? time_of_day < window.end
                              : time_of_day >= window.start && time_of_day < window.end) {
    opens = today + window.end;  // small hours, or inside a daytime window
  } else {
    return now;
  }
  const Instant at = to_instant(zone, opens, now);
  return at < now ? now : at;
}

Result<Instant> next_allowed_send(Instant now, std::string_view window, std::string_view zone_name) {
  const auto parsed = parse_quiet_window(window);
  if (!parsed) return parsed.error();
  const date::time_zone* zone = nullptr;
  try {
    zone = date::locate_zone(zone_name);
  } catch (const std::runtime_error&) {
    return make_error(fmt::format("time zone '{}' is not known", zone_name));
  }
  return next_allowed_send(now, *parsed, *zone);
}

}  // namespace cobrador::policy
