// Implements exact decimal parsing and formatting of money in minor units.
#include "domain/money.hpp"

#include <algorithm>
#include <limits>

#include <fmt/format.h>

namespace cobrador {

namespace {

// ISO 4217 currencies whose minor unit is not 2. Everything else has two decimals.
constexpr std::array<std::pair<std::string_view, int>, 22> kExponents{{
    {"BHD", 3}, {"BIF", 0}, {"CLF", 4}, {"CLP", 0}, {"DJF", 0}, {"GNF", 0}, {"IQD", 3}, {"ISK", 0},
    {"JOD", 3}, {"JPY", 0}, {"KMF", 0}, {"KRW", 0}, {"KWD", 3}, {"LYD", 3}, {"OMR", 3}, {"PYG", 0},
    {"RWF", 0}, {"TND", 3}, {"UGX", 0}, {"UYI", 0}, {"VND", 0}, {"XAF", 0},
}};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

Result<Currency> Currency::parse(std::string_view code) {
  const bool well_formed =
      code.size() == 3 && std::all_of(code.begin(), code.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
  if (!well_formed) {
    return make_error(fmt::format("'{}' is not an ISO 4217 currency code (three capital letters)", code));
  }
  Currency currency;
  std::copy(code.begin(), code.end(), currency.code_.begin());
  return currency;
}

int Currency::decimals() const {
  const auto found = std::find_if(kExponents.begin(), kExponents.end(),
                                  [&](const auto& entry) { return entry.first == code(); });
  return found == kExponents.end() ? 2 : found->second;
}

Result<Money> parse_money(std::string_view text, Currency currency, bool allow_negative) {
  const auto refuse = [&](std::string_view why) {
    return make_error(fmt::format("'{}' is not an amount in {}: {}", text, currency.code(), why));
  };
  std::string_view rest = text;
  const bool negative = !rest.empty() && rest.front() == '-';
  if (negative) {
    if (!allow_negative) return refuse("negative amounts are not allowed here");
    rest.remove_prefix(1);
  }
  const auto dot = rest.find('.');
  const std::string_view whole = rest.substr(0, dot);
  const std::string_view fraction = dot == std::string_view::npos ? std::string_view{} : rest.substr(dot + 1);
  if (whole.empty()) return refuse("digits expected before the decimal point");
  if (dot != std::string_view::npos && fraction.empty())
    return refuse("digits expected after the decimal point");
  if (!std::all_of(whole.begin(), whole.end(), is_digit) ||
      !std::all_of(fraction.begin(), fraction.end(), is_digit)) {
    return refuse("only digits and one '.' are allowed");
  }
  const int decimals = currency.decimals();
  if (static_cast<int>(fraction.size()) > decimals) {
    return refuse(fmt::format("{} has {} decimal places", currency.code(), decimals));
  }
  constexpr auto kMax = std::numeric_limits<std::int64_t>::max();
  std::int64_t minor = 0;
  // Refuses the digit that would take minor past int64's largest value: "92233720368547758.08"
  // must be "too large", not a negative number.
  const auto push = [&](char digit) {
    const int value = digit - '0';
    if (minor > (kMax - value) / 10) return false;
    minor = minor * 10 + value;
    return true;
  };
  for (char c : whole) {
    if (!push(c)) return refuse("too large");
  }
  for (int i = 0; i < decimals; ++i) {
    if (!push(i < static_cast<int>(fraction.size()) ? fraction[i] : '0')) return refuse("too large");
  }
  return Money{negative ? -minor : minor, currency};
}

std::int64_t saturating_add(std::int64_t a, std::int64_t b) {
  std::int64_t sum = 0;
  if (!__builtin_add_overflow(a, b, &sum)) return sum;
  return b > 0 ? std::numeric_limits<std::int64_t>::max() : std::numeric_limits<std::int64_t>::min();
}

std::string format_amount(const Money& money) {
  const int decimals = money.currency.decimals();
  const bool negative = money.minor < 0;
  // Work in unsigned so that the most negative value still formats.
  const std::uint64_t magnitude =
      negative ? 0 - static_cast<std::uint64_t>(money.minor) : static_cast<std::uint64_t>(money.minor);
  std::uint64_t scale = 1;
  for (int i = 0; i < decimals; ++i) scale *= 10;
  const std::string sign = negative ? "-" : "";
  if (decimals == 0) return fmt::format("{}{}", sign, magnitude);
  return fmt::format("{}{}.{:0{}}", sign, magnitude / scale, magnitude % scale, decimals);
}

std::string format_money(const Money& money) {
  return fmt::format("{} {}", format_amount(money), money.currency.code());
}

}  // namespace cobrador
