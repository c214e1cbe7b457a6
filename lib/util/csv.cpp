// Implements an RFC 4180 CSV reader as a small state machine over the text.
#include "util/csv.hpp"

#include <fmt/format.h>

namespace cobrador::csv {

namespace {

bool blank(const Row& row) { return row.fields.size() == 1 && row.fields[0].empty(); }

}  // namespace

Result<std::vector<Row>> parse(std::string_view text, std::size_t first_line) {
  std::vector<Row> rows;
  Row row{first_line, {}};
  std::string field;
  std::size_t line = first_line;
  bool quoted = false;       // inside a quoted field
  bool after_quote = false;  // a quoted field just closed; only , or a line end may follow
  const auto end_row = [&] {
    row.fields.push_back(std::move(field));
    field.clear();
    if (!blank(row)) rows.push_back(std::move(row));
    row = Row{line, {}};
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
        after_quote = true;
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    if (c == ',') {
      row.fields.push_back(std::move(field));
      field.clear();
      after_quote = false;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      ++line;
      end_row();
      after_quote = false;
    } else if (after_quote) {
      return make_error(fmt::format("line {}: unexpected '{}' after a closing quote", line, c));
    } else if (c == '"' && field.empty()) {
      quoted = true;
    } else {
      field += c;
    }
  }
  if (quoted) return make_error(fmt::format("line {}: a quoted field is not closed", row.line));
  if (!field.empty() || !row.fields.empty()) end_row();
  return rows;
}

std::optional<Cut> row_ends(std::string_view text, std::size_t rows) {
  std::optional<Cut> cut;
  std::size_t lines = 0;
  std::size_t ended = 0;
  bool quoted = false;
  bool field_start = true;  // a quote opens a quoted field only here, as parse() reads it
  for (std::size_t i = 0; i < text.size() && ended < rows; ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"')
        ++i;
      else if (c == '"')
        quoted = false;
      else if (c == '\n')
        ++lines;
      continue;
    }
    if (c == '\r' && i + 1 == text.size()) break;  // maybe half a CRLF
    if (c == '\n' || c == '\r') {
      if (c == '\r' && text[i + 1] == '\n') ++i;
      ++lines;
      ++ended;
      cut = Cut{i + 1, lines, ended};
      field_start = true;
    } else if (c == '"' && field_start) {
      quoted = true;
      field_start = false;
    } else {
      field_start = c == ',';
    }
  }
  return cut;
}

}  // namespace cobrador::csv
