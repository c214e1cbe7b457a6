// Implements instant parsing and formatting on top of Howard Hinnant's date library.
#include "util/instant.hpp"

#include <sstream>

#include <date/date.h>
#include <fmt/format.h>

namespace cobrador {

std::string format_instant(Instant at) { return date::format("%FT%TZ", at); }

bool starts_with_date_time(std::string_view text) {
  constexpr std::string_view shape = "dddd-dd-ddTdd:dd:dd";
  if (text.size() < shape.size()) return false;
  for (std::size_t i = 0; i < shape.size(); ++i) {
    const bool fits = shape[i] == 'd' ? text[i] >= '0' && text[i] <= '9' : text[i] == shape[i];
    if (!fits) return false;
  }
  return true;
}

Result<Instant> parse_instant(std::string_view text) {
  std::istringstream in{std::string(text)};
  Instant at;
  // The shape first: date.h's %T misreads any other (above).
  if (starts_with_date_time(text))
    in >> date::parse("%FT%TZ", at);
  else
    in.setstate(std::ios::failbit);
  if (in.fail() || in.peek() != std::char_traits<char>::eof()) {
    return make_error(fmt::format("'{}' is not a UTC time in the form YYYY-MM-DDTHH:MM:SSZ", text));
  }
  return at;
}

}  // namespace cobrador
