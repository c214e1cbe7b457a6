// Regression tests of the fuzzer's date.h finding in `panel_replies` (docs/reliability.md,
// tests/fuzz/findings/panel_replies/): a Retry-After like "SunNov6 0:4:" made date.h round the
// seconds it had not read, an uninitialized long double (undefined behaviour). parse_http_date
// now wants a digit after each ':', and such a header is no wish at all.
#include <catch2/catch.hpp>

#include <chrono>
#include <string>

#include "hooks/http_outcome.hpp"

using namespace cobrador;
using std::chrono::seconds;

namespace retry_after_malformed_test {

// 1994-11-06 08:49:37 UTC, the date of RFC 9110's examples.
const auto kNow = std::chrono::system_clock::time_point(seconds(784111777));

TEST_CASE("retry-after with seconds that do not read is ignored", "[hooks]") {
  // The reproducer's Retry-After line, then the same cut short in each of the three forms.
  for (const std::string value :
       {"SunNov6 0:4:", "Sun, 06 Nov 1994 08:49:", "Sun, 06 Nov 1994 08:49:xx GMT",
        "Sunday, 06-Nov-94 08:50: GMT", "Sun Nov  6 08:49: 1994", "Sun Nov  6 08::47 1994", ":"}) {
    CHECK_FALSE(hooks::parse_retry_after(value, kNow).has_value());
  }
  // The well-formed dates still read.
  CHECK(hooks::parse_retry_after("Sun, 06 Nov 1994 08:51:37 GMT", kNow) == seconds(120));
}

TEST_CASE("retry-after dates beyond the clock's nanoseconds are read in seconds", "[hooks]") {
  // A date past 2262 overflowed when subtracted from a nanosecond `now` (the fuzzer's second
  // finding in panel_replies). Now it is a long wish, clamped later by the backoff.
  const auto far = hooks::parse_retry_after("Fri, 31 Dec 9999 23:59:59 GMT", kNow);
  REQUIRE(far.has_value());
  CHECK(*far == seconds(253402300799 - 784111777));
  CHECK(hooks::parse_retry_after("Thu, 01 Jan 1001 00:00:00 GMT", kNow) == seconds(0));
  // A `now` with a fraction of a second still rounds up: 0.5 s before the date is 1 s.
  const auto half = kNow + std::chrono::milliseconds(119500);
  CHECK(hooks::parse_retry_after("Sun, 06 Nov 1994 08:51:37 GMT", half) == seconds(1));
}

TEST_CASE("a 503 whose Retry-After does not read is retried without a wish", "[hooks]") {
  net::HttpResponse response;
  response.status = 503;
  response.headers["retry-after"] = "SunNov6 0:4:";
  const auto outcome = hooks::classify_http(response, kNow);
  REQUIRE(outcome);
  CHECK(outcome->kind == hooks::Outcome::Kind::retry);
  CHECK_FALSE(outcome->retry_after.has_value());
}

}  // namespace retry_after_malformed_test
