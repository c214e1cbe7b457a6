// Fuzzes the dates and instants that files and requests carry: parse_date (YYYY-MM-DD, import
// files and API bodies), parse_instant (ISO 8601 with Z: COBRADOR_NOW, stored instants) and
// parse_rfc3339 (PIX callbacks' `horario`). A strict form must read back from what it writes,
// and calendar arithmetic on any date that parses must not overflow or trap.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "domain/date.hpp"
#include "fuzz_support.hpp"
#include "http/pix.hpp"
#include "util/instant.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace cobrador;
  fuzz::Input input(data, size);
  const int months = static_cast<std::int8_t>(input.byte());
  const auto text = input.rest();

  if (auto day = parse_date(text)) {
    fuzz::require(format_date(*day) == text, "parse_date accepted text that format_date writes otherwise");
    (void)add_months(*day, months);
    (void)last_day_of_month(*day);
  }
  if (auto at = parse_instant(text)) {
    auto again = parse_instant(format_instant(*at));
    fuzz::require(again.ok() && *again == *at, "format_instant wrote what parse_instant reads differently");
  }
  if (auto at = http::parse_rfc3339(text)) {
    auto again = parse_instant(format_instant(*at));
    fuzz::require(again.ok() && *again == *at, "an RFC 3339 instant that format_instant cannot round-trip");
  }
  return 0;
}
