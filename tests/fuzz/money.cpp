// Fuzzes money as every input path reads it (import rows, API bodies, bank files): a currency
// code and parse_money. What parses must write back as the same text's value: format_amount
// then parse_money gives the same Money, and a negative amount needs allow_negative.
#include <cstddef>
#include <cstdint>
#include <string>

#include "domain/money.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace cobrador;
  fuzz::Input input(data, size);
  const bool allow_negative = input.byte() & 1;
  // The first line is the currency code (checked too); one of 0, 2 and 3 decimals when bad.
  const auto code = input.line();
  auto currency = Currency::parse(code);
  if (!currency)
    currency = Currency::parse(code.size() % 3 == 0 ? "JPY" : code.size() % 3 == 1 ? "BRL" : "KWD");
  const auto text = input.rest();

  auto money = parse_money(text, *currency, allow_negative);
  if (!money) return 0;
  fuzz::require(allow_negative || money->minor >= 0, "a negative amount without allow_negative");
  fuzz::require(money->currency == *currency, "parse_money changed the currency");
  const auto written = format_amount(*money);
  auto again = parse_money(written, *currency, true);
  fuzz::require(again.ok() && *again == *money, "format_amount wrote what parse_money reads differently");
  (void)format_money(*money);
  return 0;
}
