// Helpers for the bank tests: read a shared fixture as bytes, and derive broken variants of
// it in memory (the fixture files themselves are never changed).
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "bank/bank_entry.hpp"
#include "support/temp_dir.hpp"

namespace cobrador::bank::testing {

// The camt fixtures the parser and the streamed reader are both held to.
inline const std::string kV2 = "camt/genkgo-camt053.v2.minimal.xml";
inline const std::string kV8 = "camt/genkgo-camt053.v8.xml";
inline const std::string kReturns = "camt/viafintech-camt054.v4.returns.xml";

inline std::string fixture(const std::string& relative) {
  return cobrador::testing::read_file(std::string(COBRADOR_FIXTURES_DIR) + "/" + relative);
}

// text with the first occurrence of from replaced; throws if from is absent, so that a test
// can never pass because its edit silently did nothing.
inline std::string replace_once(std::string text, std::string_view from, std::string_view to) {
  const auto at = text.find(from);
  if (at == std::string::npos) throw std::logic_error("test edit: '" + std::string(from) + "' not found");
  return text.replace(at, from.size(), to);
}

// The file's lines (without their line ends) and back, for edits by line number.
inline std::vector<std::string> lines_of(std::string_view text, std::string_view line_end) {
  std::vector<std::string> lines;
  while (!text.empty()) {
    const auto end = text.find(line_end);
    lines.emplace_back(text.substr(0, end));
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + line_end.size());
  }
  return lines;
}

inline std::string join_lines(const std::vector<std::string>& lines, std::string_view line_end) {
  std::string text;
  for (const auto& line : lines) text += line + std::string(line_end);
  return text;
}

inline std::vector<std::string> reference_values(const BankEntry& entry) {
  std::vector<std::string> values;
  for (const auto& reference : entry.references) values.push_back(reference.value);
  return values;
}

inline Money money(std::int64_t minor, const char* currency) {
  return Money{minor, *Currency::parse(currency)};
}

inline Date day(const char* iso) { return *parse_date(iso); }

}  // namespace cobrador::bank::testing
