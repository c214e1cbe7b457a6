// Implements camt.053/camt.054 parsing of a document held whole, through the streamed reader
// (camt_stream.cpp). How an entry is split into transactions lives in camt_entry.cpp.
#include "bank/camt_parser.hpp"

#include <array>

#include <fmt/format.h>

#include "bank/camt_stream.hpp"
#include "bank/entry_identity.hpp"

namespace cobrador::bank {

namespace {

constexpr std::string_view kNamespacePrefix = "urn:iso:std:iso:20022:tech:xsd:";
// 001.09 to 001.12 (ISO 20022 2019 to 2023) read as 001.08 does: the elements an entry is
// read from (Amt, CdtDbtInd, Sts/Cd, BookgDt, NtryDtls/TxDtls, Refs, RmtInf, RtrInf) kept
// their names and places.
constexpr std::array<std::string_view, 7> kVersions{"001.02", "001.04", "001.08", "001.09",
                                                    "001.10", "001.11", "001.12"};

// The whole document through the streamed reader; a syntax error is expat's, with its line
// and column.
Result<Format> read_document(std::string_view xml, CamtReader::Sink sink,
                             std::optional<TextEncoding> encoding) {
  CamtReader reader(std::move(sink), encoding);
  reader.feed(xml);
  return reader.finish();
}

}  // namespace

std::optional<Format> camt_format_for_namespace(std::string_view uri) {
  if (!uri.starts_with(kNamespacePrefix)) return std::nullopt;
  const auto message = uri.substr(kNamespacePrefix.size());
  for (const auto version : kVersions) {
    if (message == fmt::format("camt.053.{}", version)) return Format::camt053;
    if (message == fmt::format("camt.054.{}", version)) return Format::camt054;
  }
  return std::nullopt;
}

Result<Format> detect_camt_format(std::string_view xml) { return read_document(xml, nullptr, std::nullopt); }

Result<std::vector<BankEntry>> parse_camt(std::string_view xml, std::optional<TextEncoding> encoding) {
  auto statement = read_camt(xml, encoding);
  if (!statement) return statement.error();
  return std::move(statement->entries);
}

Result<CamtStatement> read_camt(std::string_view xml, std::optional<TextEncoding> encoding) {
  std::vector<BankEntry> entries;
  auto format = read_document(
      xml,
      [&entries](std::vector<BankEntry>& parts) -> Status {
        for (auto& part : parts) entries.push_back(std::move(part));
        return Ok{};
      },
      encoding);
  if (!format) return format.error();
  number_repeated_identities(entries);
  return CamtStatement{*format, std::move(entries)};
}

}  // namespace cobrador::bank
