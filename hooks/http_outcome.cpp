// Implements hooks/http_outcome.hpp.
#include "hooks/http_outcome.hpp"

#include <date/date.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <sstream>

namespace cobrador::hooks {

namespace {

std::optional<std::chrono::sys_seconds> parse_http_date(std::string_view text) {
  // IMF-fixdate first; the two obsolete forms only because RFC 9110 asks recipients to accept them.
  static constexpr std::array<const char*, 3> formats = {"%a, %d %b %Y %H:%M:%S GMT",
                                                         "%A, %d-%b-%y %H:%M:%S GMT", "%a %b %e %H:%M:%S %Y"};
  // date.h rounds the seconds of %S even when they did not read, an uninitialized long double
  // (undefined behaviour, found by the fuzzer): what follows each ':' must be a digit.
  for (std::size_t colon = text.find(':'); colon != std::string_view::npos;
       colon = text.find(':', colon + 1)) {
    if (colon + 1 == text.size() || text[colon + 1] < '0' || text[colon + 1] > '9') return std::nullopt;
  }
  for (const char* format : formats) {
    std::istringstream in{std::string(text)};
    in.imbue(std::locale::classic());
    date::sys_seconds when;
    in >> date::parse(format, when);
    if (!in.fail() && in.peek() == std::char_traits<char>::eof()) return when;
  }
  return std::nullopt;
}

Outcome make(Outcome::Kind kind, std::string detail) {
  Outcome outcome;
  outcome.kind = kind;
  outcome.detail = std::move(detail);
  return outcome;
}

std::string status_text(const net::HttpResponse& response) {
  std::string text = "HTTP " + std::to_string(response.status);
  const auto excerpt = body_excerpt(response.body);
  if (!excerpt.empty()) text += ": " + excerpt;
  return text;
}

bool is_transient_status(long status) {
  return status == 408 || status == 429 || (status >= 500 && status <= 599);
}

}  // namespace

std::optional<std::chrono::seconds> parse_retry_after(std::string_view value,
                                                      std::chrono::system_clock::time_point now) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  if (std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    long long seconds = 0;
    const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (ec != std::errc()) return std::nullopt;
    return std::chrono::seconds(seconds);
  }
  const auto when = parse_http_date(value);
  if (!when) return std::nullopt;
  // In whole seconds: a date past 2262 (or before 1677) does not fit the clock's nanoseconds, and
  // subtracting it from `now` overflowed (undefined behaviour, found by the fuzzer). For a whole-
  // second date, when - floor(now) is the ceiling of when - now.
  const auto delay = *when - std::chrono::floor<std::chrono::seconds>(now);
  return std::max(delay, std::chrono::seconds(0));
}

std::optional<Outcome> classify_http(const net::HttpResponse& response,
                                     std::chrono::system_clock::time_point now) {
  if (!response.ok()) {
    return make(Outcome::Kind::retry,
                (response.timed_out ? "timed out: " : "transport error: ") + response.error);
  }
  const long status = response.status;
  if (status >= 200 && status <= 299) return std::nullopt;
  if (status == 410) return make(Outcome::Kind::disable_panel, status_text(response));
  if (is_transient_status(status)) {
    auto outcome = make(Outcome::Kind::retry, status_text(response));
    outcome.retry_after = parse_retry_after(response.header("retry-after"), now);
    return outcome;
  }
  if (status >= 300 && status <= 399) {
    return make(Outcome::Kind::failed, "HTTP " + std::to_string(status) + ": unexpected redirect to " +
                                           body_excerpt(response.header("location")));
  }
  return make(Outcome::Kind::failed, status_text(response));
}

std::string body_excerpt(std::string_view body, std::size_t max_length) {
  std::string out;
  for (const char c : body) {
    if (out.size() >= max_length) {
      out += "...";
      break;
    }
    const bool blank = c == ' ' || c == '\n' || c == '\r' || c == '\t';
    if (blank && (out.empty() || out.back() == ' ')) continue;
    out.push_back(blank ? ' ' : c);
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

}  // namespace cobrador::hooks
