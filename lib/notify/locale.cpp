// Implements locale normalization, template fallback order and per-locale date formats.
#include "notify/locale.hpp"

#include <array>
#include <cctype>

#include <fmt/format.h>

namespace cobrador::notify {

namespace {

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Splits "pt_BR" / "pt-BR" into subtags.
std::vector<std::string> subtags(std::string_view locale) {
  std::vector<std::string> out;
  std::string current;
  for (const char c : locale) {
    if (c == '-' || c == '_') {
      out.push_back(std::move(current));
      current.clear();
    } else {
      current += c;
    }
  }
  out.push_back(std::move(current));
  return out;
}

std::string language_of(std::string_view locale) {
  return to_lower(subtags(normalize_locale(locale)).front());
}

}  // namespace

std::string normalize_locale(std::string_view locale) {
  std::string out;
  bool first = true;
  for (std::string tag : subtags(locale)) {
    tag = to_lower(tag);
    if (!first && tag.size() == 2) {
      for (char& c : tag) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    } else if (!first && tag.size() == 4) {
      tag[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(tag[0])));
    }
    if (!first) out += '-';
    out += tag;
    first = false;
  }
  return out;
}

std::vector<std::string> locale_fallbacks(std::string_view locale) {
  std::vector<std::string> out;
  std::string current = normalize_locale(locale);
  while (!current.empty()) {
    out.push_back(current);
    const auto dash = current.rfind('-');
    current = dash == std::string::npos ? std::string{} : current.substr(0, dash);
  }
  if (out.empty() || out.back() != "en") out.emplace_back("en");
  return out;
}

std::string format_local_date(Date day, std::string_view locale) {
  static constexpr std::array<const char*, 12> english_months{
      "January", "February", "March",     "April",   "May",      "June",
      "July",    "August",   "September", "October", "November", "December"};
  const date::year_month_day ymd{day};
  const int year = static_cast<int>(ymd.year());
  const unsigned month = static_cast<unsigned>(ymd.month());
  const unsigned d = static_cast<unsigned>(ymd.day());
  const std::string language = language_of(locale);
  if (language == "pt" || language == "es") return fmt::format("{:02}/{:02}/{}", d, month, year);
  if (language == "en") return fmt::format("{} {} {}", d, english_months[month - 1], year);
  return format_date(day);
}

}  // namespace cobrador::notify
