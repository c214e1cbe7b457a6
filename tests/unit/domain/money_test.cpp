#include <catch2/catch.hpp>

#include <limits>

#include "domain/money.hpp"

using namespace cobrador;

namespace {
Currency cur(const char* code) { return *Currency::parse(code); }
}  // namespace

// Decimal strings become exact minor units, with the currency's own number of decimals.
TEST_CASE("money parses decimal strings exactly in minor units") {
  CHECK(parse_money("49.90", cur("BRL"))->minor == 4990);
  CHECK(parse_money("0.1", cur("EUR"))->minor == 10);
  CHECK(parse_money("1000", cur("JPY"))->minor == 1000);
  CHECK(parse_money("1.234", cur("KWD"))->minor == 1234);
  CHECK(parse_money("12", cur("KWD"))->minor == 12000);
  CHECK(parse_money("-0.05", cur("EUR"), true)->minor == -5);
  // 0.1 + 0.2 in binary floating point is not 0.3; in minor units it is.
  CHECK(parse_money("0.1", cur("USD"))->minor + parse_money("0.2", cur("USD"))->minor ==
        parse_money("0.3", cur("USD"))->minor);
}

// Anything that is not a plain decimal with the right number of places is refused by name.
TEST_CASE("money refuses ambiguous or malformed amounts") {
  CHECK(parse_money("49.901", cur("BRL")).error().message ==
        "'49.901' is not an amount in BRL: BRL has 2 decimal places");
  CHECK(parse_money("1.5", cur("JPY")).error().message ==
        "'1.5' is not an amount in JPY: JPY has 0 decimal places");
  CHECK_FALSE(parse_money("1,50", cur("BRL")));
  CHECK_FALSE(parse_money("", cur("BRL")));
  CHECK_FALSE(parse_money(".5", cur("BRL")));
  CHECK_FALSE(parse_money("5.", cur("BRL")));
  CHECK_FALSE(parse_money(" 5", cur("BRL")));
  CHECK_FALSE(parse_money("1e3", cur("BRL")));
  CHECK_FALSE(parse_money("-5", cur("BRL")));
  CHECK_FALSE(parse_money("99999999999999999999", cur("BRL")));
  CHECK_FALSE(Currency::parse("brl"));
  CHECK_FALSE(Currency::parse("BR"));
}

// Formatting is the inverse of parsing.
TEST_CASE("money formats with the currency's decimals") {
  CHECK(format_amount(Money{4990, cur("BRL")}) == "49.90");
  CHECK(format_amount(Money{5, cur("BRL")}) == "0.05");
  CHECK(format_amount(Money{-5, cur("BRL")}) == "-0.05");
  CHECK(format_amount(Money{1000, cur("JPY")}) == "1000");
  CHECK(format_amount(Money{1234, cur("KWD")}) == "1.234");
  CHECK(format_money(Money{4990, cur("BRL")}) == "49.90 BRL");
}

// The largest amount int64 holds parses; one cent more is "too large", not a negative number.
TEST_CASE("money refuses an amount one past int64's largest value") {
  CHECK(parse_money("92233720368547758.07", cur("BRL"))->minor == std::numeric_limits<std::int64_t>::max());
  CHECK(parse_money("92233720368547758.08", cur("BRL")).error().message ==
        "'92233720368547758.08' is not an amount in BRL: too large");
  CHECK(parse_money("9223372036854775808", cur("JPY")).error().message ==
        "'9223372036854775808' is not an amount in JPY: too large");
}
