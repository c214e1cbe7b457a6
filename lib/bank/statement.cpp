// Implements format detection and dispatch to the camt, CNAB 240 and CSV parsers.
#include "bank/statement.hpp"

#include <fmt/format.h>

#include "bank/camt_parser.hpp"
#include "bank/cnab240_parser.hpp"
#include "bank/csv_statement_parser.hpp"
#include "bank/text.hpp"

namespace cobrador::bank {

namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

std::string_view without_bom(std::string_view content) {
  if (content.starts_with(kUtf8Bom)) content.remove_prefix(kUtf8Bom.size());
  return content;
}

std::string_view first_line(std::string_view content) {
  return content.substr(0, content.find_first_of("\r\n"));
}

Result<std::vector<BankEntry>> parse_as(Format format, std::string_view content,
                                        std::optional<TextEncoding> encoding) {
  const auto text = encoding.value_or(TextEncoding::utf8);
  switch (format) {
    case Format::camt053:
    case Format::camt054:
      return parse_camt(content, encoding);
    case Format::cnab240:
      return parse_cnab240(content, text);
    case Format::csv:
      if (text == TextEncoding::windows1252) return parse_csv_statement(windows1252_to_utf8(content));
      return parse_csv_statement(content);
    case Format::pix:
      break;  // never detected: a PIX callback is JSON read by lib/http
  }
  return make_error("unknown format");
}

}  // namespace

bool looks_like_xml(std::string_view content) {
  const auto text = trim(without_bom(content));
  return !text.empty() && text.front() == '<';
}

Result<Format> detect_format(std::string_view content) {
  content = without_bom(content);
  if (trim(content).empty()) return make_error("the file is empty");
  if (looks_like_xml(content)) return detect_camt_format(content);
  const auto line = first_line(content);
  if (looks_like_cnab240_header(line)) return Format::cnab240;
  // CNAB 400 is the other Brazilian layout; say so rather than "unknown".
  if (line.starts_with("02RETORNO"))
    return make_error("line 1: a CNAB 400 return file; only CNAB 240 is supported");
  if (looks_like_csv_statement(content)) return Format::csv;
  return make_error(
      "line 1: not a known statement format: expected camt.053 or camt.054 XML, a CNAB 240 return file, or "
      "CSV "
      "with a header row such as date,amount,currency,reference");
}

Result<ParsedStatement> read_statement(std::string_view content, std::string_view label,
                                       std::optional<TextEncoding> encoding) {
  content = without_bom(content);
  const auto prefixed = [&](const Error& error) {
    return label.empty() ? error : make_error(fmt::format("{}: {}", label, error.message));
  };
  if (looks_like_xml(content)) {
    // The camt parser checks the root and namespace that detect_format would: same errors.
    auto camt = read_camt(content, encoding);
    if (!camt) return prefixed(camt.error());
    return ParsedStatement{camt->format, std::move(camt->entries)};
  }
  auto format = detect_format(content);
  if (!format) return prefixed(format.error());
  auto entries = parse_as(*format, content, encoding);
  if (!entries) return prefixed(entries.error());
  return ParsedStatement{*format, std::move(*entries)};
}

Result<std::vector<BankEntry>> parse_statement(std::string_view content, std::string_view label) {
  auto statement = read_statement(content, label);
  if (!statement) return statement.error();
  return std::move(statement->entries);
}

}  // namespace cobrador::bank
