// Implements instant parsing and formatting on top of Howard Hinnant's date library.
#include "util/instant.hpp"

#include <sstream>

#include <date/date.h>
#include <fmt/format.h>

namespace cobrador {

std::string format_instant(Instant at) { return date::format("%FT%TZ", at); }

Result<Instant> parse_instant(std::string_view text) {
  std::istringstream in{std::string(text)};
  Instant at;
  in >> date::parse("%FT%TZ", at);
  if (in.fail() || in.peek() != std::char_traits<char>::eof()) {
    return make_error(fmt::format("'{}' is not a UTC time in the form YYYY-MM-DDTHH:MM:SSZ", text));
  }
  return at;
}

}  // namespace cobrador
