// Implements record splitting and field reading for CNAB 240.
#include "bank/cnab240_records.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "util/split.hpp"

namespace cobrador::bank::cnab240 {

namespace {

bool all_blank(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c == ' '; });
}

std::vector<std::string_view> split_lines(std::string_view content) {
  auto lines = split(content, '\n');
  for (auto& line : lines) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  }
  while (!lines.empty() && lines.back().empty()) lines.pop_back();
  return lines;
}

}  // namespace

std::string_view Record::field(Columns columns) const {
  return std::string_view(text).substr(columns.first - 1, columns.last - columns.first + 1);
}

Error error_at(const Record& record, std::string_view message) {
  return make_error(fmt::format("line {}: {}", record.line, message));
}

Result<std::vector<Record>> split_records(std::string_view content) {
  std::vector<Record> records;
  const auto lines = split_lines(content);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto line = lines[i];
    if (line.empty()) return make_error(fmt::format("line {}: empty line inside the file", i + 1));
    // Banco do Brasil's sample batch header is 241 columns, the last one blank; data past
    // column 240 would be a record of another layout (CNAB 400) or a broken file.
    if (line.size() > kRecordLength && !all_blank(line.substr(kRecordLength))) {
      return make_error(fmt::format("line {}: {} columns with data past column {}; a CNAB 240 record has {}",
                                    i + 1, line.size(), kRecordLength, kRecordLength));
    }
    Record record{i + 1, std::string(line.substr(0, kRecordLength))};
    record.text.resize(kRecordLength, ' ');
    records.push_back(std::move(record));
  }
  return records;
}

Result<std::int64_t> read_number(const Record& record, Columns columns, std::string_view name) {
  const auto digits = record.field(columns);
  const bool numeric = std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!numeric) {
    return error_at(record, fmt::format("{} (columns {}-{}) '{}' is not a number", name, columns.first,
                                        columns.last, digits));
  }
  // At most 15 digits in this layout, well inside int64.
  std::int64_t value = 0;
  for (const char c : digits) value = value * 10 + (c - '0');
  return value;
}

Result<std::optional<Date>> read_date(const Record& record, Columns columns, std::string_view name) {
  const auto ddmmyyyy = record.field(columns);
  if (all_blank(ddmmyyyy) || ddmmyyyy == "00000000") return std::optional<Date>{};
  const auto iso =
      fmt::format("{}-{}-{}", ddmmyyyy.substr(4, 4), ddmmyyyy.substr(2, 2), ddmmyyyy.substr(0, 2));
  auto day = parse_date(iso);
  if (!day) {
    return error_at(record, fmt::format("{} (columns {}-{}) '{}' is not a date in the form DDMMAAAA", name,
                                        columns.first, columns.last, ddmmyyyy));
  }
  return std::optional<Date>{*day};
}

}  // namespace cobrador::bank::cnab240
