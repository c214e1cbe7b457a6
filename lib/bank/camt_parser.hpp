// Reads ISO 20022 bank-to-customer statements (camt.053) and debit/credit notifications
// (camt.054), versions 001.02, 001.04 and 001.08 to 001.12, into BankEntry values. The text is
// read in the encoding the XML declaration names (UTF-8 when none), unless the caller says
// which (`encoding`, cobradorctl bank import --encoding); either way entries hold UTF-8.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "bank/bank_entry.hpp"
#include "util/result.hpp"
#include "util/text_encoding.hpp"

namespace cobrador::bank {

// camt053 or camt054 for a supported namespace URI, nothing for anything else.
std::optional<Format> camt_format_for_namespace(std::string_view uri);

// camt053 or camt054 from the document's root element and namespace; an error for XML that
// is not well-formed or not a supported camt message.
Result<Format> detect_camt_format(std::string_view xml);

// One BankEntry per TxDtls (one per Ntry without TxDtls). The whole document or an error
// that names the element path (or the line and column of an XML syntax error); never part
// of a file.
Result<std::vector<BankEntry>> parse_camt(std::string_view xml,
                                          std::optional<TextEncoding> encoding = std::nullopt);

// parse_camt, also saying which message it was: a caller that needs both parses the
// document once (a 100,000-entry statement is tens of MB of XML).
struct CamtStatement {
  Format format;
  std::vector<BankEntry> entries;
};
Result<CamtStatement> read_camt(std::string_view xml, std::optional<TextEncoding> encoding = std::nullopt);

}  // namespace cobrador::bank
