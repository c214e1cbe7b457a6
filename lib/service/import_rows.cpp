// Implements reading CSV and JSON-lines import files into rows of named fields.
#include "service/import_rows.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "util/csv.hpp"
#include "util/text_encoding.hpp"
#include "util/utf8.hpp"

namespace cobrador::service {

namespace {

constexpr std::string_view kNotUtf8 =
    "not valid UTF-8 (a file in ISO-8859-1 or Windows-1252 needs --encoding latin1)";

// A JSON line that does not parse because some string in it is not UTF-8: the field whose
// value it is. The line is read again as Windows-1252 (which always gives UTF-8) and each
// string value, turned back into its bytes, is checked.
std::optional<std::string> field_not_utf8(std::string_view line) {
  if (!utf8::first_invalid(line)) return std::nullopt;
  const auto object = nlohmann::json::parse(windows1252_to_utf8(line), nullptr, false);
  if (!object.is_object()) return std::string("a value");
  for (const auto& [name, value] : object.items()) {
    std::size_t unused = 0;
    const auto invalid = [&](const nlohmann::json& text) {
      if (!text.is_string()) return false;
      const auto bytes = utf8_to_windows1252(text.get_ref<const std::string&>(), unused);
      return !bytes || utf8::first_invalid(*bytes).has_value();
    };
    const auto name_bytes = utf8_to_windows1252(name, unused);
    if (!name_bytes || utf8::first_invalid(*name_bytes)) return std::string("a field name");
    if (invalid(value)) return name;
    if (value.is_array() && std::any_of(value.begin(), value.end(), invalid)) return name;
  }
  return std::string("a value");
}

Result<std::vector<ImportRow>> read_csv(const std::string& text, const std::string& label,
                                        const ImportColumns& columns) {
  auto table = csv::parse(text);
  if (!table) return make_error(fmt::format("{}: {}", label, table.error().message));
  if (table->empty())
    return make_error(fmt::format("{}: the file is empty; a header row is expected", label));
  const auto& header = table->front();
  for (const auto& name : header.fields) {
    if (utf8::first_invalid(name))
      return make_error(fmt::format("{}:{}: the header: {}", label, header.line, kNotUtf8));
    if (!columns.knows(name)) {
      return make_error(fmt::format("{}:{}: column '{}' is unknown (allowed: {})", label, header.line, name,
                                    columns.allowed()));
    }
    if (std::count(header.fields.begin(), header.fields.end(), name) > 1) {
      return make_error(fmt::format("{}:{}: column '{}' appears twice", label, header.line, name));
    }
  }
  for (const auto& name : columns.required) {
    if (std::find(header.fields.begin(), header.fields.end(), name) == header.fields.end()) {
      return make_error(fmt::format("{}:{}: column '{}' is missing", label, header.line, name));
    }
  }
  std::vector<ImportRow> rows;
  for (std::size_t r = 1; r < table->size(); ++r) {
    const auto& row = (*table)[r];
    if (row.fields.size() != header.fields.size()) {
      return make_error(fmt::format("{}:{}: {} fields where the header has {}", label, row.line,
                                    row.fields.size(), header.fields.size()));
    }
    ImportRow out{row.line, {}};
    for (std::size_t c = 0; c < row.fields.size(); ++c) {
      if (utf8::first_invalid(row.fields[c]))
        return make_error(fmt::format("{}:{}: {}: {}", label, row.line, header.fields[c], kNotUtf8));
      out.fields[header.fields[c]] = row.fields[c];
    }
    rows.push_back(std::move(out));
  }
  return rows;
}

// The words of the import messages, which name the file and line before the field.
std::string describe(const FieldProblem& problem) {
  if (problem.kind == FieldProblem::Kind::unknown)
    return fmt::format("field '{}' {}", problem.field, problem.problem);
  return fmt::format("{}: {}", problem.field, problem.problem);
}

Result<std::vector<ImportRow>> read_json_lines(const std::string& text, const std::string& label,
                                               const ImportColumns& columns) {
  std::vector<ImportRow> rows;
  std::size_t line = 0;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto end = std::min(text.find('\n', start), text.size());
    const std::string_view content(text.data() + start, end - start);
    ++line;
    start = end + 1;
    if (content.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    if (const auto field = field_not_utf8(content))
      return make_error(fmt::format("{}:{}: {}: {}", label, line, *field, kNotUtf8));
    const auto object = nlohmann::json::parse(content, nullptr, false);
    if (object.is_discarded() || !object.is_object()) {
      return make_error(fmt::format("{}:{}: not a JSON object", label, line));
    }
    ImportRow row{line, {}};
    if (const auto problem = fields_from_json(object, columns, row.fields)) {
      return make_error(fmt::format("{}:{}: {}", label, line, describe(*problem)));
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace

Result<std::vector<ImportRow>> read_import_rows(const std::string& text, const std::string& label,
                                                const ImportColumns& columns) {
  const auto first = text.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
  if (first != std::string::npos && text[first] == '{') return read_json_lines(text, label, columns);
  // A UTF-8 byte order mark from spreadsheet exports is not part of the first column's name.
  const bool bom = text.rfind("\xEF\xBB\xBF", 0) == 0;
  return read_csv(bom ? text.substr(3) : text, label, columns);
}

}  // namespace cobrador::service
