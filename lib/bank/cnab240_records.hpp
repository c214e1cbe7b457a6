// Splits a CNAB 240 file into fixed-width records and reads typed fields from them, with
// errors that name the line and the columns.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bank/cnab240_layout.hpp"
#include "domain/date.hpp"
#include "util/result.hpp"

namespace cobrador::bank::cnab240 {

struct Record {
  std::size_t line = 0;  // 1-based
  std::string text;      // always kRecordLength columns

  std::string_view field(Columns columns) const;
  char at(Columns columns) const { return text[columns.first - 1]; }
};

// The records of the file. CRLF or LF; a line shorter than 240 columns had its trailing
// blanks trimmed and is padded back; a longer one is accepted only when the excess is
// blank. Trailing empty lines are ignored, an empty line in between is an error.
Result<std::vector<Record>> split_records(std::string_view content);

// "line 4: " + message.
Error error_at(const Record& record, std::string_view message);

// A zero-filled count or amount in cents.
Result<std::int64_t> read_number(const Record& record, Columns columns, std::string_view name);

// DDMMAAAA; a field of zeros or blanks is "not given" and returns nothing.
Result<std::optional<Date>> read_date(const Record& record, Columns columns, std::string_view name);

}  // namespace cobrador::bank::cnab240
