// Regression tests of the fuzzer's date.h finding in `dates` (docs/reliability.md,
// tests/fuzz/findings/dates/): date.h rounded the seconds of %T into an uninitialized long
// double when the hours or minutes did not read (UBSan: "nan is outside the range of
// representable values of type 'long'"). parse_instant now checks the shape first
// (starts_with_date_time) and refuses anything else with its usual message.
#include <catch2/catch.hpp>

#include <string>
#include <string_view>

#include "util/instant.hpp"

using namespace cobrador;
using namespace std::string_literals;

namespace instant_shape_test {

// The committed reproducer without its first byte (the months the target adds): NULs between
// the hours and the minutes.
const std::string kReproducer = "2020-09-09T20\0\0\0\0\0:15:00.358Z"s;

std::string error_of(std::string_view text) {
  const auto at = parse_instant(text);
  REQUIRE_FALSE(at.ok());
  return at.error().message;
}

TEST_CASE("parse_instant refuses the fuzzer's malformed seconds with the form it wants", "[util]") {
  CHECK_FALSE(starts_with_date_time(kReproducer));
  CHECK(error_of(kReproducer) == "'" + kReproducer + "' is not a UTC time in the form YYYY-MM-DDTHH:MM:SSZ");
  // Its neighbours: seconds missing, or not digits, or the minutes missing.
  for (const std::string_view text : {"2020-09-09T20:15:Z", "2020-09-09T20:15:xxZ", "2020-09-09T20::00Z",
                                      "2020-09-09T20:15", "2020-09-09T", ""}) {
    CHECK_FALSE(starts_with_date_time(text));
    CHECK(error_of(text) == "'" + std::string(text) + "' is not a UTC time in the form YYYY-MM-DDTHH:MM:SSZ");
  }
}

TEST_CASE("starts_with_date_time wants digits where YYYY-MM-DDTHH:MM:SS has them", "[util]") {
  CHECK(starts_with_date_time("2020-09-09T20:15:00Z"));
  CHECK(starts_with_date_time("2020-09-09T20:15:00.358-03:00"));
  CHECK_FALSE(starts_with_date_time("2020-09-09 20:15:00Z"));
  CHECK_FALSE(starts_with_date_time("2020-9-09T20:15:00Z"));
  // The shape that passes still has to parse as a whole.
  const auto at = parse_instant("2020-09-09T20:15:00Z");
  REQUIRE(at.ok());
  CHECK(format_instant(*at) == "2020-09-09T20:15:00Z");
  CHECK_FALSE(parse_instant("2020-09-09T20:15:00.358Z").ok());
}

}  // namespace instant_shape_test
