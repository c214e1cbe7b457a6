// Implements the names of the BankEntry enumerations, as used in messages and reports.
#include "bank/bank_entry.hpp"

namespace cobrador::bank {

std::string_view to_string(Format format) {
  switch (format) {
    case Format::camt053:
      return "camt.053";
    case Format::camt054:
      return "camt.054";
    case Format::cnab240:
      return "CNAB 240";
    case Format::csv:
      return "CSV";
    case Format::pix:
      return "PIX";
  }
  return "unknown";
}

std::string_view to_string(Direction direction) {
  return direction == Direction::credit ? "credit" : "debit";
}

std::string_view to_string(ReferenceKind kind) {
  switch (kind) {
    case ReferenceKind::end_to_end_id:
      return "EndToEndId";
    case ReferenceKind::creditor_reference:
      return "creditor reference";
    case ReferenceKind::remittance_token:
      return "remittance text";
    case ReferenceKind::nosso_numero:
      return "nosso número";
    case ReferenceKind::document_number:
      return "número do documento";
    case ReferenceKind::company_reference:
      return "uso da empresa";
    case ReferenceKind::pix_txid:
      return "PIX txid";
    case ReferenceKind::csv_reference:
      return "reference";
  }
  return "unknown";
}

}  // namespace cobrador::bank
