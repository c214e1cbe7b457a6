// Fuzzes a CNAB 240 return file: the parser itself, and read_statement, which detects the
// format from the first line as `bank import` does.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "bank/cnab240_parser.hpp"
#include "bank/statement.hpp"
#include "bank_checks.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace cobrador;
  const std::string_view content(reinterpret_cast<const char*>(data), size);
  (void)bank::looks_like_cnab240_header(content.substr(0, content.find('\n')));
  auto entries = bank::parse_cnab240(content);
  if (entries) fuzz::check_entries(*entries);
  auto statement = bank::read_statement(content, "retorno.ret");
  if (statement) fuzz::check_entries(statement->entries);
  return 0;
}
