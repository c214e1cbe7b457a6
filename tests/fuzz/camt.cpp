// Fuzzes a camt.053/camt.054 document held whole, as `bank import` and the API's statement
// upload read it: read_statement (detection, then read_camt), and detect_camt_format, which must
// agree with the reading on any document the reading accepts.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "bank/camt_parser.hpp"
#include "bank/statement.hpp"
#include "bank_checks.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace cobrador;
  const std::string_view xml(reinterpret_cast<const char*>(data), size);
  auto statement = bank::read_statement(xml, "statement.xml");
  auto whole = bank::read_camt(xml);
  if (!whole) return 0;
  fuzz::check_entries(whole->entries);
  auto detected = bank::detect_camt_format(xml);
  fuzz::require(detected.ok() && *detected == whole->format, "detect_camt_format disagrees with read_camt");
  fuzz::require(statement.ok() && statement->entries == whole->entries,
                "read_statement disagrees with read_camt");
  return 0;
}
