// Reads CSV as RFC 4180 describes it: comma-separated fields, fields in double quotes may hold
// commas, quotes ("" for one) and line breaks; CRLF or LF line ends. Rows keep the line number
// they start on so that errors can say FILE:ROW.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "util/result.hpp"

namespace cobrador::csv {

struct Row {
  std::size_t line = 0;  // 1-based line where the row starts
  std::vector<std::string> fields;
};

// The whole text, or an error naming the line of an unterminated quote or a stray character
// after a closing quote. Blank lines are skipped.
Result<std::vector<Row>> parse(std::string_view text);

}  // namespace cobrador::csv
