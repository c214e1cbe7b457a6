#include <catch2/catch.hpp>

#include "policy/quiet_hours.hpp"

using namespace cobrador;
using namespace cobrador::policy;
using namespace std::chrono_literals;

namespace {

// A UTC instant, written the way the tests reason about it.
Instant utc(int y, unsigned m, unsigned d, int hh, int mm) {
  return date::sys_days{date::year{y} / m / d} + std::chrono::hours{hh} + std::chrono::minutes{mm};
}

Instant allowed(Instant now, std::string_view window, std::string_view zone) {
  const auto at = next_allowed_send(now, window, zone);
  REQUIRE(at);
  return *at;
}

}  // namespace

// Outside the window the SMS goes at once.
TEST_CASE("outside quiet hours an SMS may go now", "[notify]") {
  const Instant noon_sp = utc(2026, 5, 4, 15, 0);  // 12:00 in São Paulo (UTC-3)
  CHECK(allowed(noon_sp, "21:00-08:00", "America/Sao_Paulo") == noon_sp);
  const Instant eight_sp = utc(2026, 5, 4, 11, 0);  // 08:00 exactly: the window is over
  CHECK(allowed(eight_sp, "21:00-08:00", "America/Sao_Paulo") == eight_sp);
}

// A window that crosses midnight holds late-evening SMS until the next morning, and
// small-hours SMS until the same morning.
TEST_CASE("a quiet window crossing midnight holds until the morning", "[notify]") {
  // 21:00 in São Paulo → 08:00 next day = 11:00 UTC.
  CHECK(allowed(utc(2026, 5, 5, 0, 0), "21:00-08:00", "America/Sao_Paulo") == utc(2026, 5, 5, 11, 0));
  // 23:59 local on 4 May.
  CHECK(allowed(utc(2026, 5, 5, 2, 59), "21:00-08:00", "America/Sao_Paulo") == utc(2026, 5, 5, 11, 0));
  // 03:30 local on 5 May → 08:00 the same day.
  CHECK(allowed(utc(2026, 5, 5, 6, 30), "21:00-08:00", "America/Sao_Paulo") == utc(2026, 5, 5, 11, 0));
}

// A daytime window (not crossing midnight) holds until its end the same day.
TEST_CASE("a daytime quiet window holds until its end", "[notify]") {
  CHECK(allowed(utc(2026, 5, 4, 15, 30), "12:00-14:00", "America/Sao_Paulo") == utc(2026, 5, 4, 17, 0));
  CHECK(allowed(utc(2026, 5, 4, 17, 0), "12:00-14:00", "America/Sao_Paulo") == utc(2026, 5, 4, 17, 0));
}

// Spring forward in New York (2026-03-08, 02:00 EST → 03:00 EDT): 08:00 local is 12:00 UTC,
// not the 13:00 a fixed -5 offset would give.
TEST_CASE("quiet hours end at 08:00 wall-clock time on a spring-forward night", "[notify]") {
  const Instant eleven_pm_est = utc(2026, 3, 8, 4, 0);  // 23:00 EST on 7 March
  CHECK(allowed(eleven_pm_est, "21:00-08:00", "America/New_York") == utc(2026, 3, 8, 12, 0));
  // An end inside the skipped hour (02:30 never happens) means the moment the clocks jump.
  const Instant one_am_est = utc(2026, 3, 8, 6, 0);
  CHECK(allowed(one_am_est, "21:00-02:30", "America/New_York") == utc(2026, 3, 8, 7, 0));
}

// Fall back in New York (2026-11-01, 02:00 EDT → 01:00 EST): 08:00 local is 13:00 UTC.
TEST_CASE("quiet hours end at 08:00 wall-clock time on a fall-back night", "[notify]") {
  const Instant ten_pm_edt = utc(2026, 11, 1, 2, 0);  // 22:00 EDT on 31 October
  CHECK(allowed(ten_pm_edt, "21:00-08:00", "America/New_York") == utc(2026, 11, 1, 13, 0));
  // 01:30 happens twice; each 01:10 waits for the 01:30 that follows it.
  CHECK(allowed(utc(2026, 11, 1, 5, 10), "21:00-01:30", "America/New_York") == utc(2026, 11, 1, 5, 30));
  CHECK(allowed(utc(2026, 11, 1, 6, 10), "21:00-01:30", "America/New_York") == utc(2026, 11, 1, 6, 30));
}

// Malformed windows and unknown zones are errors a person can act on.
TEST_CASE("bad quiet windows and unknown time zones are refused", "[notify]") {
  for (const auto* bad : {"21:00", "21:00-8:00", "24:00-08:00", "21:60-08:00", "08:00-08:00", ""}) {
    INFO(bad);
    CHECK_FALSE(parse_quiet_window(bad));
  }
  CHECK(parse_quiet_window("9-8").error().message ==
        "quiet hours '9-8': expected HH:MM-HH:MM with two different times");
  CHECK(next_allowed_send(utc(2026, 1, 1, 0, 0), "21:00-08:00", "Mars/Olympus").error().message ==
        "time zone 'Mars/Olympus' is not known");
}
