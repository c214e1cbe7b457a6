// The PIX callback's credits (lib/http/pix) refuse what a statement refuses (issue 19, point
// 3): a credit of zero, and ids that are not one line of UTF-8.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "http/pix.hpp"

using namespace cobrador;

namespace pix_callback_test {

service::FieldProblem problem_of(const nlohmann::json& body) {
  auto read = http::read_pix_callback(body);
  REQUIRE(std::holds_alternative<service::FieldProblem>(read));
  return std::get<service::FieldProblem>(read);
}

nlohmann::json credit(const std::string& valor, const std::string& end_to_end = "E1234") {
  return {{"pix",
           {{{"endToEndId", end_to_end},
             {"txid", "inv-1"},
             {"valor", valor},
             {"horario", "2026-03-01T10:00:00Z"}}}}};
}

TEST_CASE("a PIX credit of zero is refused like a zero credit in a statement", "[http]") {
  for (const auto zero : {"0", "0.00", "00.0"}) {
    const auto problem = problem_of(credit(zero));
    CHECK(problem.field == "pix[0].valor");
    CHECK(problem.problem == "the amount is zero");
  }
  const auto read = http::read_pix_callback(credit("0.01"));
  REQUIRE(std::holds_alternative<std::vector<http::PixCredit>>(read));
  CHECK(std::get<std::vector<http::PixCredit>>(read).front().amount.minor == 1);
}

TEST_CASE("a PIX id with a control character is refused with its field", "[http]") {
  const auto problem = problem_of(credit("10.00", "E12\n34"));
  CHECK(problem.field == "pix[0].endToEndId");
  CHECK(problem.problem == "contains a control character (U+000A)");
  CHECK(problem_of(credit("92233720368547758.08")).problem ==
        "'92233720368547758.08' is not an amount in BRL: too large");
}

}  // namespace pix_callback_test
