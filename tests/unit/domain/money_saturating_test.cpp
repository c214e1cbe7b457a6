// Sums of amounts stay inside int64 (issue 19, point 3): each amount is refused past int64 where
// it is parsed, and a total of several is held at the end instead of wrapping to a negative debt.
#include <catch2/catch.hpp>

#include <limits>

#include "domain/money.hpp"

using namespace cobrador;

namespace money_saturating_test {

TEST_CASE("saturating_add holds at int64's ends", "[domain]") {
  constexpr auto kMax = std::numeric_limits<std::int64_t>::max();
  constexpr auto kMin = std::numeric_limits<std::int64_t>::min();
  CHECK(saturating_add(2, 3) == 5);
  CHECK(saturating_add(kMax, 1) == kMax);
  CHECK(saturating_add(kMax - 1, kMax - 1) == kMax);
  CHECK(saturating_add(kMin, -1) == kMin);
  CHECK(saturating_add(kMax, kMin) == -1);
  const auto brl = *Currency::parse("BRL");
  CHECK_FALSE(parse_money("92233720368547758.08", brl));
  CHECK_FALSE(parse_money("-92233720368547758.08", brl, true));
  CHECK(parse_money("-92233720368547758.07", brl, true)->minor == -kMax);
}

}  // namespace money_saturating_test
