// One transaction line from a bank statement, whatever file it came from. The parsers
// (camt, CNAB 240, CSV) all produce BankEntry values; reconcile() only ever sees these.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "domain/date.hpp"
#include "domain/money.hpp"

namespace cobrador::bank {

// pix is no file: a BACEN PIX callback (POST /v1/hooks/bank/{source}) recorded as entries.
enum class Format { camt053, camt054, cnab240, csv, pix };

enum class Direction { credit, debit };

// Where a reference was found. Kept so that a report can say *why* an entry matched.
enum class ReferenceKind {
  end_to_end_id,       // camt TxDtls/Refs/EndToEndId
  creditor_reference,  // camt RmtInf/Strd/CdtrRefInf/Ref (e.g. an ISO 11649 RF reference)
  remittance_token,    // one word of camt RmtInf/Ustrd or of a CSV description
  nosso_numero,        // CNAB: the bank's number for the boleto
  document_number,     // CNAB: número do documento (seu número)
  company_reference,   // CNAB: identificação do título na empresa (uso da empresa)
  pix_txid,            // CNAB segment Y-03: the PIX charge's txid
  csv_reference,       // CSV reference column, taken whole
};

struct Reference {
  ReferenceKind kind = ReferenceKind::csv_reference;
  std::string value;

  friend bool operator==(const Reference&, const Reference&) = default;
};

struct BankEntry {
  Format format = Format::csv;
  // The day the bank booked the money (camt BookgDt, CNAB data do crédito, CSV date).
  Date booking_date;
  // Always positive; the sign lives in direction.
  Money amount;
  Direction direction = Direction::credit;
  // Only booked entries move money: camt Sts BOOK, CNAB ocorrência 06 or 17, CSV status booked.
  bool booked = false;
  // The bank's own status as written: BOOK, PDNG, INFO (camt); the ocorrência code, e.g.
  // "06" or "02" (CNAB); booked or pending (CSV).
  std::string status_code;
  bool reversal = false;
  // ISO 20022 return reason (MD06, AM04, ...) of a returned debit; empty if none.
  std::string return_reason;
  std::vector<Reference> references;
  // Stable across re-imports of the same bank data, for de-duplication by the caller.
  // See docs/bank-formats.md for how each format builds it.
  std::string identity;
  // Where in the file the entry came from, for messages: "line 3" or an element path.
  std::string origin;

  friend bool operator==(const BankEntry&, const BankEntry&) = default;
};

std::string_view to_string(Format format);
std::string_view to_string(Direction direction);
std::string_view to_string(ReferenceKind kind);

}  // namespace cobrador::bank
