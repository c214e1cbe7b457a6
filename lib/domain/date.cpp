// Implements strict date parsing and formatting on top of Howard Hinnant's date library.
#include "domain/date.hpp"

#include <algorithm>
#include <array>
#include <functional>
#include <sstream>
#include <string_view>

#include <fmt/format.h>

namespace cobrador {

Result<Date> parse_date(std::string_view text) {
  // The dates a thread parsed last, by a hash of their text: a file has few distinct dates
  // (an invoice file of a million rows, about a hundred), and the stream parse was 8% of
  // an import's time.
  struct Parsed {
    std::array<char, 10> text{};
    Date day;
    bool set = false;
  };
  thread_local std::array<Parsed, 256> recent{};
  const bool rememberable = text.size() == 10;
  Parsed* slot = nullptr;
  if (rememberable) {
    slot = &recent[std::hash<std::string_view>{}(text) % recent.size()];
    if (slot->set && std::string_view(slot->text.data(), slot->text.size()) == text) return slot->day;
  }
  // One stream per thread, emptied for each date: constructing a stream (its locale) cost
  // more than the parse itself.
  thread_local std::istringstream in;
  in.clear();
  in.str(std::string(text));
  Date day;
  in >> date::parse("%F", day);
  // date::parse is lenient about widths ("2026-1-5"); a round trip keeps files unambiguous.
  if (in.fail() || in.peek() != std::char_traits<char>::eof() || format_date(day) != text) {
    return make_error(fmt::format("'{}' is not a date in the form YYYY-MM-DD", text));
  }
  if (slot) {
    std::copy(text.begin(), text.end(), slot->text.begin());
    slot->day = day;
    slot->set = true;
  }
  return day;
}

// fmt instead of date::format: the walk formats dates for every notice, and the stream-based
// formatter showed up at 5% of a walk's time.
std::string format_date(Date day) {
  const date::year_month_day ymd{day};
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                     static_cast<unsigned>(ymd.day()));
}

Date last_day_of_month(Date day) {
  const date::year_month_day ymd{day};
  return date::sys_days{ymd.year() / ymd.month() / date::last};
}

Date add_months(Date day, int months) {
  const date::year_month_day ymd{day};
  const bool at_month_end = day == last_day_of_month(day);
  const date::year_month target = date::year_month{ymd.year(), ymd.month()} + date::months{months};
  const date::year_month_day_last end{target.year(), date::month_day_last{target.month()}};
  if (at_month_end || ymd.day() > end.day()) return date::sys_days{end};
  return date::sys_days{target.year() / target.month() / ymd.day()};
}

}  // namespace cobrador
