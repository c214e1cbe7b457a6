// Money as integer minor units plus an ISO 4217 currency. No floating point touches money:
// "49.90" is parsed digit by digit into 4990 cents, and the number of decimals comes from
// the currency (JPY has 0, BRL 2, KWD 3).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace cobrador {

class Currency {
 public:
  Currency() = default;
  // Three uppercase ASCII letters; anything else is refused.
  static Result<Currency> parse(std::string_view code);

  std::string_view code() const { return {code_.data(), 3}; }
  // Minor-unit exponent from ISO 4217: 0, 2 or 3.
  int decimals() const;

  friend bool operator==(const Currency&, const Currency&) = default;

 private:
  std::array<char, 3> code_{'X', 'X', 'X'};
};

struct Money {
  std::int64_t minor = 0;
  Currency currency;

  friend bool operator==(const Money&, const Money&) = default;
};

// a + b, held at int64's ends instead of overflowing. Each amount is inside int64 (parse_money
// refuses more), but a customer's invoices added up need not be: a total of 2^63 cents or more
// stays "more than anyone pays", never wraps to a negative debt.
std::int64_t saturating_add(std::int64_t a, std::int64_t b);

// Parses a decimal string in major units ("49.90", "1000", "0.5") exactly. A leading '-'
// is accepted only when allow_negative is set. More decimals than the currency has, thousands
// separators, exponents or blanks are refused.
Result<Money> parse_money(std::string_view text, Currency currency, bool allow_negative = false);

// "49.90" for 4990 BRL; "1000" for 1000 JPY; "-0.05" for -5 EUR.
std::string format_amount(const Money& money);
// "49.90 BRL"
std::string format_money(const Money& money);

}  // namespace cobrador
