// Fuzzes cobrador's CSV bank statement: the parser itself, and read_statement, which detects
// it by its header row as `bank import` does.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "bank/csv_statement_parser.hpp"
#include "bank/statement.hpp"
#include "bank_checks.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace cobrador;
  const std::string_view content(reinterpret_cast<const char*>(data), size);
  (void)bank::looks_like_csv_statement(content);
  auto entries = bank::parse_csv_statement(content);
  if (entries) fuzz::check_entries(*entries);
  auto statement = bank::read_statement(content, "extrato.csv");
  if (statement) fuzz::check_entries(statement->entries);
  return 0;
}
