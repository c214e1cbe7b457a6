// payments.match_tolerance: parsed like the other amounts of the policy, and converted to each
// currency's minor units for reconciliation.
#include <catch2/catch.hpp>

#include "policy/policy.hpp"

using namespace cobrador;
using namespace cobrador::policy;

namespace {

const char* kTolerancePolicy = R"(timezone: UTC
stages:
  - name: reminder
    when: { days_overdue: 3 }
    notify: [email]
    template: payment_reminder
)";

Result<Policy> parse_with(const std::string& extra) {
  return parse_policy(std::string(kTolerancePolicy) + extra, "policy.yaml");
}

Currency currency(const char* code) { return *Currency::parse(code); }

}  // namespace

TEST_CASE("match_tolerance defaults to nothing and reads a decimal", "[policy]") {
  const auto plain = parse_with("");
  REQUIRE(plain);
  CHECK(plain->payments.match_tolerance.text == "0.00");
  CHECK(plain->payments.match_tolerance.minor_units_in(currency("BRL")) == 0);

  const auto set = parse_with("payments: { match_tolerance: \"0.50\" }\n");
  REQUIRE(set);
  CHECK(set->payments.match_tolerance.text == "0.50");
  CHECK(set->payments.match_tolerance.minor_units_in(currency("BRL")) == 50);
}

TEST_CASE("match_tolerance that is not an amount names its place", "[policy]") {
  CHECK(parse_with("payments: { match_tolerance: \"0,50\" }\n").error().message ==
        "policy.yaml:7:30: payments.match_tolerance: '0,50' is not an amount like \"0.50\"");
  CHECK(parse_with("payments: { match_tolerance: \"-1\" }\n").error().message ==
        "policy.yaml:7:30: payments.match_tolerance: '-1' is not an amount like \"0.50\"");
}

// "0.05" is 5 cents of BRL, 50 of the 3-decimal KWD, and nothing of JPY (rounded down).
TEST_CASE("a decimal amount in a currency's minor units rounds down", "[policy]") {
  const DecimalAmount five_cents{5, 2, "0.05"};
  CHECK(five_cents.minor_units_in(currency("BRL")) == 5);
  CHECK(five_cents.minor_units_in(currency("KWD")) == 50);
  CHECK(five_cents.minor_units_in(currency("JPY")) == 0);
  const DecimalAmount ten{10, 0, "10"};
  CHECK(ten.minor_units_in(currency("BRL")) == 1000);
  CHECK(ten.minor_units_in(currency("JPY")) == 10);
  const DecimalAmount fine{1999, 3, "1.999"};
  CHECK(fine.minor_units_in(currency("EUR")) == 199);
}
