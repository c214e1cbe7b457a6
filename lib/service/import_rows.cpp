// Implements reading CSV and JSON-lines import files into rows of named fields.
#include "service/import_rows.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "util/csv.hpp"

namespace cobrador::service {

namespace {

bool known(const ImportColumns& columns, const std::string& name) {
  const auto has = [&](const std::vector<std::string>& list) {
    return std::find(list.begin(), list.end(), name) != list.end();
  };
  return has(columns.required) || has(columns.optional);
}

std::string allowed(const ImportColumns& columns) {
  std::vector<std::string> all = columns.required;
  all.insert(all.end(), columns.optional.begin(), columns.optional.end());
  return fmt::format("{}", fmt::join(all, ", "));
}

Result<std::vector<ImportRow>> read_csv(const std::string& text, const std::string& label,
                                        const ImportColumns& columns) {
  auto table = csv::parse(text);
  if (!table) return make_error(fmt::format("{}: {}", label, table.error().message));
  if (table->empty()) return make_error(fmt::format("{}: the file is empty; a header row is expected", label));
  const auto& header = table->front();
  for (const auto& name : header.fields) {
    if (!known(columns, name)) {
      return make_error(fmt::format("{}:{}: column '{}' is unknown (allowed: {})", label, header.line, name,
                                    allowed(columns)));
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
      return make_error(fmt::format("{}:{}: {} fields where the header has {}", label, row.line, row.fields.size(),
                                    header.fields.size()));
    }
    ImportRow out{row.line, {}};
    for (std::size_t c = 0; c < row.fields.size(); ++c) out.fields[header.fields[c]] = row.fields[c];
    rows.push_back(std::move(out));
  }
  return rows;
}

// A JSON value as import text: strings as they are, lists of strings ';'-joined.
Result<std::string> json_field(const nlohmann::json& value, const std::string& name) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_null()) return std::string();
  if (value.is_array()) {
    std::vector<std::string> items;
    for (const auto& item : value) {
      if (!item.is_string()) return make_error(fmt::format("{}: list items must be strings", name));
      items.push_back(item.get<std::string>());
    }
    return fmt::format("{}", fmt::join(items, ";"));
  }
  return make_error(fmt::format("{}: must be a string (amounts too: \"49.90\")", name));
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
    const auto object = nlohmann::json::parse(content, nullptr, false);
    if (object.is_discarded() || !object.is_object()) {
      return make_error(fmt::format("{}:{}: not a JSON object", label, line));
    }
    ImportRow row{line, {}};
    for (const auto& [name, value] : object.items()) {
      if (!known(columns, name)) {
        return make_error(fmt::format("{}:{}: field '{}' is unknown (allowed: {})", label, line, name, allowed(columns)));
      }
      auto field = json_field(value, name);
      if (!field) return make_error(fmt::format("{}:{}: {}", label, line, field.error().message));
      row.fields[name] = *field;
    }
    for (const auto& name : columns.required) {
      if (!row.fields.count(name)) return make_error(fmt::format("{}:{}: {}: is missing", label, line, name));
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
