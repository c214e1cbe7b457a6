// The entry point for a statement file of any supported format: find out which format it
// is from its content (file names and extensions lie), then parse it.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "bank/bank_entry.hpp"
#include "util/result.hpp"
#include "util/text_encoding.hpp"

namespace cobrador::bank {

// camt053/camt054 for XML in a supported camt namespace, cnab240 for a file whose first line
// is a CNAB 240 file header, csv for a header row with date and amount columns. Anything
// else is an error that says what was expected. A UTF-8 byte order mark is ignored.
Result<Format> detect_format(std::string_view content);

// True when the content (its first bytes are enough) is XML, hence camt: the first character
// after a UTF-8 byte order mark and blanks is '<'. detect_format and read_statement decide so.
bool looks_like_xml(std::string_view content);

// detect_format, then the format's parser. Errors start with label, so that a person sees
// "extrato.ret: line 4: ..." (label is usually the uploaded file's name; empty for none).
Result<std::vector<BankEntry>> parse_statement(std::string_view content, std::string_view label);

// parse_statement, also saying which format the content was in. An XML document is parsed
// once, not once to detect its format and again to read it.
// `encoding`: the bytes' encoding when the caller knows it (cobradorctl bank import
// --encoding); else a camt document's XML declaration says it and other formats are UTF-8.
struct ParsedStatement {
  Format format;
  std::vector<BankEntry> entries;
};
Result<ParsedStatement> read_statement(std::string_view content, std::string_view label,
                                       std::optional<TextEncoding> encoding = std::nullopt);

}  // namespace cobrador::bank
