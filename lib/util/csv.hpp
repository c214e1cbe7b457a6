// Reads CSV as RFC 4180 describes it: comma-separated fields, fields in double quotes may hold
// commas, quotes ("" for one) and line breaks; CRLF or LF line ends. Rows keep the line number
// they start on so that errors can say FILE:ROW.
#pragma once

#include <optional>
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
// after a closing quote. Blank lines are skipped. `first_line` is the number of the text's
// first line: a piece of a larger file (cut where a row ends, see row_ends) keeps the file's
// line numbers.
Result<std::vector<Row>> parse(std::string_view text, std::size_t first_line = 1);

// Where the first rows of `text` end, as parse() reads them, so that a long file can be parsed
// in pieces: the offset just past the end of row number `rows` (or of the last row that ends in
// `text`, when it has fewer), and how many lines lie before that offset. Nothing when no row
// ends in `text`: the caller reads more. A row ends at a line end outside quotes; a CR at the
// very end of `text` may be the first half of a CRLF, so it ends nothing yet.
struct Cut {
  std::size_t offset = 0;
  std::size_t lines = 0;
  std::size_t rows = 0;  // row ends before `offset` (blank lines count)
};
std::optional<Cut> row_ends(std::string_view text, std::size_t rows);

}  // namespace cobrador::csv
