// Regression tests of the fuzzer's date.h finding in `pix` and `dates` (docs/reliability.md,
// tests/fuzz/findings/pix/ and dates/): a PIX `horario` whose seconds do not read made date.h
// round an uninitialized long double (undefined behaviour). parse_rfc3339 now checks the shape
// first, and the callback is refused with the field at fault.
#include <catch2/catch.hpp>

#include <string>
#include <variant>

#include <nlohmann/json.hpp>

#include "http/pix.hpp"

using namespace cobrador;
using namespace std::string_literals;

namespace pix_malformed_time_test {

std::string rfc3339_error(const std::string& text) {
  const auto at = http::parse_rfc3339(text);
  REQUIRE_FALSE(at.ok());
  return at.error().message;
}

std::string expected(const std::string& text) {
  return "'" + text + "' is not an RFC 3339 time like 2020-09-09T20:15:00.358Z";
}

TEST_CASE("parse_rfc3339 refuses the fuzzer's malformed times with the form it wants", "[http]") {
  // The reproducers' shapes: pix's `horario`, and the dates target's NULs before the minutes.
  for (const auto& text : {"2-0-09T"s, "2020-09-09T20\0\0\0\0\0:15:00.358Z"s, "2020-09-09T20:15:.358Z"s,
                           "2020-09-09T20:15:x0-03:00"s, "2020-09-09T20:"s}) {
    CHECK(rfc3339_error(text) == expected(text));
  }
  // The second finding (tests/fuzz/findings/dates/date-h-offset-negation): a sign with no
  // hours after it made date.h's %Ez negate its "no offset" value.
  for (const auto& text :
       {"2020-09-10T13:03:33.902-)\0>00"s, "2020-09-10T13:03:33.902-"s, "2020-09-10T13:03:33-3:00"s,
        "2020-09-10T13:03:33.-03:00"s, "2020-09-10T13:03:33+03:00x"s}) {
    CHECK(rfc3339_error(text) == expected(text));
  }
  // Both forms PIX sends still read.
  CHECK(http::parse_rfc3339("2020-09-09T20:15:00.358Z").ok());
  CHECK(http::parse_rfc3339("2020-09-10T13:03:33.902-03:00").ok());
  CHECK(http::parse_rfc3339("2020-09-10T13:03:33+00:00").ok());
}

TEST_CASE("a PIX callback whose horario has no seconds is refused with its field", "[http]") {
  // tests/fuzz/findings/pix/date-h-uninitialized-seconds, with an amount that is not zero.
  const auto body =
      nlohmann::json::parse(R"({"pix":[{"endToEndId": "1","valor": "1.00", "horario": "2-0-09T", "":[]}]})");
  REQUIRE(http::is_pix_callback(body));
  const auto read = http::read_pix_callback(body);
  REQUIRE(std::holds_alternative<service::FieldProblem>(read));
  const auto& problem = std::get<service::FieldProblem>(read);
  CHECK(problem.field == "pix[0].horario");
  CHECK(problem.problem == expected("2-0-09T"));
}

}  // namespace pix_malformed_time_test
