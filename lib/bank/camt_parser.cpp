// Implements camt.053/camt.054 parsing: document checks, then one pass over every Ntry.
// How an entry is split into transactions lives in camt_entry.cpp.
#include "bank/camt_parser.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>
#include <pugixml.hpp>

#include "bank/camt_entry.hpp"
#include "bank/camt_xml.hpp"
#include "bank/entry_identity.hpp"

namespace cobrador::bank {

namespace {

constexpr std::string_view kNamespacePrefix = "urn:iso:std:iso:20022:tech:xsd:";
constexpr std::array<std::string_view, 3> kVersions{"001.02", "001.04", "001.08"};

// Where the message keeps its entries: BkToCstmrStmt/Stmt or BkToCstmrDbtCdtNtfctn/Ntfctn.
struct Layout {
  std::string_view message;
  std::string_view container;
};

Layout layout_of(Format format) {
  if (format == Format::camt053) return {"BkToCstmrStmt", "Stmt"};
  return {"BkToCstmrDbtCdtNtfctn", "Ntfctn"};
}

std::pair<std::size_t, std::size_t> line_and_column(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  const auto before = text.substr(0, offset);
  const auto line = static_cast<std::size_t>(std::count(before.begin(), before.end(), '\n')) + 1;
  const auto last_break = before.rfind('\n');
  const auto column = last_break == std::string_view::npos ? offset + 1 : offset - last_break;
  return {line, column};
}

Status load(std::string_view xml, pugi::xml_document& document) {
  // parse_embed_pcdata keeps an element's text in the element instead of a child node of its
  // own: a third fewer nodes, and a statement's DOM is most of an import's memory.
  const auto loaded = document.load_buffer(xml.data(), xml.size(), pugi::parse_default | pugi::parse_embed_pcdata,
                                           pugi::encoding_auto);
  if (loaded) return Ok{};
  const auto [line, column] = line_and_column(xml, static_cast<std::size_t>(loaded.offset));
  return make_error(
      fmt::format("line {}, column {}: not well-formed XML: {}", line, column, loaded.description()));
}

Result<Format> document_format(const pugi::xml_node& root) {
  if (camt::local_name(root) != "Document") {
    return make_error(fmt::format("{}: the root element of a camt file is Document", camt::local_name(root)));
  }
  const auto uri = camt::namespace_uri(root);
  if (const auto format = camt_format_for_namespace(uri)) return *format;
  return make_error(fmt::format(
      "Document: namespace '{}' is not a supported camt message (camt.053 or camt.054, versions 001.02, "
      "001.04, 001.08)",
      uri));
}

// The account the statement is about, to keep identities from two accounts apart.
std::string account_of(const pugi::xml_node& container) {
  const auto id = camt::child(container, "Acct/Id");
  const auto iban = camt::text(camt::child(id, "IBAN"));
  return std::string(iban.empty() ? camt::text(camt::child(id, "Othr/Id")) : iban);
}

Status read_containers(const pugi::xml_node& message, Format format, std::vector<BankEntry>& entries) {
  const auto containers = camt::children(message, layout_of(format).container);
  if (containers.empty()) {
    return make_error(fmt::format("{}: no {} in the message",
                                  camt::missing_path(message, layout_of(format).container),
                                  layout_of(format).container));
  }
  for (const auto& container : containers) {
    const auto account = account_of(container);
    const auto container_path = camt::element_path(container);
    const auto ntries = camt::children(container, "Ntry");
    for (std::size_t i = 0; i < ntries.size(); ++i) {
      const auto path = fmt::format("{}/Ntry[{}]", container_path, i + 1);  // Ntry is always numbered
      if (auto read = camt::read_entry(ntries[i], path, format, account, entries); !read) return read.error();
    }
  }
  return Ok{};
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

Result<Format> detect_camt_format(std::string_view xml) {
  pugi::xml_document document;
  if (auto loaded = load(xml, document); !loaded) return loaded.error();
  return document_format(document.document_element());
}

Result<std::vector<BankEntry>> parse_camt(std::string_view xml) {
  auto statement = read_camt(xml);
  if (!statement) return statement.error();
  return std::move(statement->entries);
}

Result<CamtStatement> read_camt(std::string_view xml) {
  pugi::xml_document document;
  if (auto loaded = load(xml, document); !loaded) return loaded.error();
  const auto root = document.document_element();
  auto format = document_format(root);
  if (!format) return format.error();
  const auto message = camt::child(root, layout_of(*format).message);
  if (!message) {
    return make_error(
        fmt::format("{}: the message body is missing", camt::missing_path(root, layout_of(*format).message)));
  }
  std::vector<BankEntry> entries;
  if (auto read = read_containers(message, *format, entries); !read) return read.error();
  number_repeated_identities(entries);
  return CamtStatement{*format, std::move(entries)};
}

}  // namespace cobrador::bank
