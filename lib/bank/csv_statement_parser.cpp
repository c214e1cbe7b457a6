// Implements the CSV statement: map the header to known columns, then read each row.
#include "bank/csv_statement_parser.hpp"

#include <algorithm>
#include <array>
#include <map>

#include <fmt/format.h>

#include "bank/entry_identity.hpp"
#include "bank/references.hpp"
#include "bank/text.hpp"
#include "util/csv.hpp"
#include "util/utf8.hpp"

namespace cobrador::bank {

namespace {

constexpr std::array<std::string_view, 9> kColumns{
    "date", "amount", "currency", "direction", "reference", "description", "status", "id", "return_reason"};
constexpr std::array<std::string_view, 3> kRequired{"date", "amount", "currency"};

bool known(std::string_view name) {
  return std::find(kColumns.begin(), kColumns.end(), name) != kColumns.end();
}

// Column name -> index in the row.
using Header = std::map<std::string, std::size_t, std::less<>>;

Result<Header> read_header(const csv::Row& row) {
  Header header;
  for (std::size_t i = 0; i < row.fields.size(); ++i) {
    const auto name = trim(row.fields[i]);
    if (!known(name)) {
      return make_error(
          fmt::format("line {}: unknown column '{}'; the columns are date, amount, currency, direction, "
                      "reference, description, status, id, return_reason",
                      row.line, name));
    }
    if (!header.emplace(name, i).second)
      return make_error(fmt::format("line {}: column '{}' appears twice", row.line, name));
  }
  for (const auto name : kRequired) {
    if (!header.contains(name))
      return make_error(fmt::format("line {}: the required column '{}' is missing", row.line, name));
  }
  return header;
}

// One row, with the header at hand to look up cells by name.
class RowReader {
 public:
  RowReader(const Header& header, const csv::Row& row) : header_(header), row_(row) {}

  std::string_view cell(std::string_view name) const {
    const auto found = header_.find(name);
    return found == header_.end() ? std::string_view{} : trim(row_.fields[found->second]);
  }
  bool has_column(std::string_view name) const { return header_.contains(name); }
  Error error(std::string_view column, std::string_view problem) const {
    return make_error(fmt::format("line {}: {}: {}", row_.line, column, problem));
  }
  std::size_t line() const { return row_.line; }
  // The first cell that is not UTF-8 (a file in another encoding is transcoded before).
  Status check_text() const {
    for (const auto& [name, index] : header_) {
      if (utf8::first_invalid(row_.fields[index]))
        return error(name, "not valid UTF-8 (a file in ISO-8859-1 or Windows-1252 needs --encoding latin1)");
    }
    return Ok{};
  }

 private:
  const Header& header_;
  const csv::Row& row_;
};

Result<Direction> read_direction(const RowReader& row) {
  const auto value = row.cell("direction");
  if (value.empty() || value == "credit") return Direction::credit;
  if (value == "debit") return Direction::debit;
  return row.error("direction", fmt::format("'{}' is neither credit nor debit", value));
}

Result<bool> read_booked(const RowReader& row) {
  const auto value = row.cell("status");
  if (value.empty() || value == "booked") return true;
  if (value == "pending") return false;
  return row.error("status", fmt::format("'{}' is neither booked nor pending", value));
}

// Without a direction column a signed amount says it: "-12.50" is a debit. With one, the
// amount must be positive so that the two can never disagree.
Status read_amount(const RowReader& row, BankEntry& entry) {
  auto currency = Currency::parse(row.cell("currency"));
  if (!currency) return row.error("currency", currency.error().message);
  auto amount = parse_money(row.cell("amount"), *currency, !row.has_column("direction"));
  if (!amount) return row.error("amount", amount.error().message);
  if (amount->minor == 0) return row.error("amount", "the amount is zero");
  auto direction = read_direction(row);
  if (!direction) return direction.error();
  entry.direction = amount->minor < 0 ? Direction::debit : *direction;
  entry.amount = Money{amount->minor < 0 ? -amount->minor : amount->minor, *currency};
  return Ok{};
}

Result<BankEntry> read_row(const RowReader& row) {
  if (auto text = row.check_text(); !text) return text.error();
  BankEntry entry;
  entry.format = Format::csv;
  auto date = parse_date(row.cell("date"));
  if (!date) return row.error("date", date.error().message);
  entry.booking_date = *date;
  if (auto read = read_amount(row, entry); !read) return read.error();
  auto booked = read_booked(row);
  if (!booked) return booked.error();
  entry.booked = *booked;
  entry.status_code = *booked ? "booked" : "pending";
  entry.return_reason = std::string(row.cell("return_reason"));
  entry.reversal = !entry.return_reason.empty();
  if (entry.reversal && entry.direction != Direction::debit) {
    return row.error("return_reason", "only a debit can be a returned payment");
  }
  add_reference(entry.references, ReferenceKind::csv_reference, row.cell("reference"));
  add_remittance_words(entry.references, row.cell("description"));
  const auto id = row.cell("id");
  entry.identity = id.empty() ? fmt::format("csv:{}", content_fingerprint(entry)) : fmt::format("csv:{}", id);
  entry.origin = fmt::format("line {}", row.line());
  return entry;
}

}  // namespace

bool looks_like_csv_statement(std::string_view content) {
  const auto first_line = content.substr(0, content.find_first_of("\r\n"));
  const auto rows = csv::parse(first_line);
  if (!rows || rows->empty()) return false;
  const auto& names = rows->front().fields;
  const auto has = [&](std::string_view wanted) {
    return std::any_of(names.begin(), names.end(),
                       [&](const std::string& name) { return trim(name) == wanted; });
  };
  // Only date and amount: a file that names them but gets another column wrong is meant to
  // be this format and deserves parse_csv_statement's precise error.
  return has("date") && has("amount");
}

Result<std::vector<BankEntry>> parse_csv_statement(std::string_view content) {
  auto rows = csv::parse(content);
  if (!rows) return rows.error();
  if (rows->empty()) return make_error("line 1: the file is empty; a header row is expected");
  auto header = read_header(rows->front());
  if (!header) return header.error();
  std::vector<BankEntry> entries;
  for (std::size_t i = 1; i < rows->size(); ++i) {
    const auto& row = (*rows)[i];
    if (row.fields.size() != header->size()) {
      return make_error(fmt::format("line {}: {} fields where the header has {}", row.line, row.fields.size(),
                                    header->size()));
    }
    auto entry = read_row(RowReader(*header, row));
    if (!entry) return entry.error();
    entries.push_back(std::move(*entry));
  }
  number_repeated_identities(entries);
  return entries;
}

}  // namespace cobrador::bank
