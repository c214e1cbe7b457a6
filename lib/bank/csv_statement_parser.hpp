// Reads cobrador's simple CSV statement (described in docs/bank-formats.md): a header row
// naming the columns in any order, then one transaction per row.
//
//   date,amount,currency,direction,reference,description,status,id,return_reason
//
// date, amount and currency are required; the others are optional. Unknown or repeated
// column names are errors, so a typo never silently drops data.
#pragma once

#include <string_view>
#include <vector>

#include "bank/bank_entry.hpp"
#include "util/result.hpp"

namespace cobrador::bank {

// True when the first row has a date and an amount column.
bool looks_like_csv_statement(std::string_view content);

// One BankEntry per row, in file order. The whole file or an error "line N: column: problem".
Result<std::vector<BankEntry>> parse_csv_statement(std::string_view content);

}  // namespace cobrador::bank
