// Implements the names of the BankEntry enumerations, as used in messages and reports.
#include "bank/bank_entry.hpp"

#include "util/enum_names.hpp"

namespace cobrador::bank {

namespace {

constexpr EnumName<Format> kFormatNames[]{
    {Format::camt053, "camt.053"}, {Format::camt054, "camt.054"}, {Format::cnab240, "CNAB 240"},
    {Format::csv, "CSV"},          {Format::pix, "PIX"},
};

// The words a person reading a report knows the field by, in the statement's own language.
constexpr EnumName<ReferenceKind> kReferenceKindNames[]{
    {ReferenceKind::end_to_end_id, "EndToEndId"},
    {ReferenceKind::creditor_reference, "creditor reference"},
    {ReferenceKind::remittance_token, "remittance text"},
    {ReferenceKind::nosso_numero, "nosso número"},
    {ReferenceKind::document_number, "número do documento"},
    {ReferenceKind::company_reference, "uso da empresa"},
    {ReferenceKind::pix_txid, "PIX txid"},
    {ReferenceKind::csv_reference, "reference"}};

}  // namespace

std::string_view to_string(Format format) { return name_of(kFormatNames, format, "unknown"); }

std::string_view to_string(Direction direction) {
  return direction == Direction::credit ? "credit" : "debit";
}

std::string_view to_string(ReferenceKind kind) { return name_of(kReferenceKindNames, kind, "unknown"); }

}  // namespace cobrador::bank
