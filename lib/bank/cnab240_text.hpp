// The characters of a CNAB 240 file. Its records are fixed-width in characters (240 columns),
// and banks write them in ISO-8859-1 or Windows-1252, one byte per column; the parser works
// on such bytes. A UTF-8 file is checked and brought to one byte per column first, and the
// text taken out of the records (references, identities) is turned into UTF-8 at the end.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "bank/bank_entry.hpp"
#include "util/result.hpp"
#include "util/text_encoding.hpp"

namespace cobrador::bank::cnab240 {

// The content with one byte per column (Windows-1252), or an error naming the line and
// column of the first byte that is not UTF-8, or of a character no CNAB record can hold.
// Content read as Windows-1252 is returned as it is.
Result<std::string> one_byte_per_column(std::string_view content, TextEncoding encoding);

// The text fields of entries parsed from one-byte-per-column records, as UTF-8.
void text_to_utf8(std::vector<BankEntry>& entries);

}  // namespace cobrador::bank::cnab240
