// Quiet hours for SMS (policy.yaml `quiet_hours: { sms: "21:00-08:00" }`): a message due inside
// the window is held until the window ends, on the customer's wall clock in the policy's time
// zone. The window may cross midnight. Pure: "now" is a parameter.
#pragma once

#include <chrono>
#include <string_view>

#include <date/tz.h>

#include "domain/date.hpp"
#include "util/result.hpp"

namespace cobrador::policy {

struct QuietWindow {
  std::chrono::minutes start{0};  // local time of day the window opens (quiet from here)
  std::chrono::minutes end{0};    // local time of day it closes (sending allowed again)
};

// "HH:MM-HH:MM", 24-hour; start and end must differ.
Result<QuietWindow> parse_quiet_window(std::string_view text);

// `now` itself when it is outside the window, else the first instant the window is over.
// On a DST change day the end is read on the wall clock: "08:00" is 08:00 local whatever the
// UTC offset; an end that falls in the skipped hour (02:30 on a spring-forward night) means the
// moment the clocks jump; an end that occurs twice (01:30 on a fall-back night) is the
// occurrence not before `now`.
Instant next_allowed_send(Instant now, const QuietWindow& window, const date::time_zone& zone);

// The same from text, e.g. ("21:00-08:00", "America/Sao_Paulo"); an unknown zone is an error.
Result<Instant> next_allowed_send(Instant now, std::string_view window, std::string_view zone_name);

}  // namespace cobrador::policy
