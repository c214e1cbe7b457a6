#include <string>

#include <catch2/catch.hpp>

#include "domain/date.hpp"

using namespace cobrador;

namespace {
Date d(const char* text) { return *parse_date(text); }
}  // namespace

// Only the exact YYYY-MM-DD form is a date.
TEST_CASE("dates parse strictly") {
  CHECK(format_date(d("2026-02-28")) == "2026-02-28");
  CHECK_FALSE(parse_date("2026-02-30"));
  CHECK_FALSE(parse_date("2026-2-3"));
  CHECK_FALSE(parse_date("2026-02-03x"));
  CHECK_FALSE(parse_date("03/02/2026"));
  CHECK(parse_date("2026-13-01").error().message == "'2026-13-01' is not a date in the form YYYY-MM-DD");
}

// parse_date remembers the dates a thread parsed last (an import's hot path): what it
// remembers is only ever a date it accepted, and a remembered date still answers its own text.
TEST_CASE("remembered dates answer only their own text") {
  CHECK_FALSE(parse_date(std::string(10, '\0')));  // the text of a slot nothing was stored in
  for (int round = 0; round < 2; ++round) {
    CHECK(format_date(d("2026-06-15")) == "2026-06-15");
    CHECK(format_date(d("2026-06-16")) == "2026-06-16");
    CHECK_FALSE(parse_date("2026-06-31"));
    CHECK_FALSE(parse_date("2026-6-15 "));
  }
  // More distinct dates than it keeps: each still parses to itself.
  for (int day = 0; day < 1000; ++day) {
    const Date date = d("2024-01-01") + date::days{day};
    CHECK(*parse_date(format_date(date)) == date);
  }
}

// Month arithmetic follows the rule of SPEC §5 for purge_after.
TEST_CASE("adding months clamps to the month's end and keeps month ends") {
  CHECK(add_months(d("2026-01-31"), 1) == d("2026-02-28"));
  CHECK(add_months(d("2026-08-31"), 1) == d("2026-09-30"));
  CHECK(add_months(d("2026-09-30"), 1) == d("2026-10-31"));
  CHECK(add_months(d("2026-08-15"), 1) == d("2026-09-15"));
  CHECK(add_months(d("2026-12-15"), 2) == d("2027-02-15"));
}

// Instants round-trip through their ISO form.
TEST_CASE("instants format as UTC ISO 8601") {
  const auto at = *parse_instant("2026-11-23T13:45:07Z");
  CHECK(format_instant(at) == "2026-11-23T13:45:07Z");
  CHECK_FALSE(parse_instant("2026-11-23 13:45:07"));
}
