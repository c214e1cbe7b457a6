#include <catch2/catch.hpp>

#include <chrono>

#include "hooks/http_outcome.hpp"

using namespace cobrador;
using hooks::Outcome;
using std::chrono::seconds;

namespace {

// 1994-11-06 08:49:37 UTC, the date of RFC 9110's examples.
const auto rfc_now = std::chrono::system_clock::time_point(seconds(784111777));

net::HttpResponse answer(long status, std::string body = {},
                         std::map<std::string, std::string> headers = {}) {
  net::HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  response.headers = std::move(headers);
  return response;
}

}  // namespace

// Retry-After in seconds is read as is; surrounding blanks do not matter.
TEST_CASE("retry-after reads delay-seconds", "[hooks]") {
  CHECK(hooks::parse_retry_after("120", rfc_now) == seconds(120));
  CHECK(hooks::parse_retry_after(" 0 ", rfc_now) == seconds(0));
}

// Retry-After as an HTTP date, in all three forms RFC 9110 names, becomes a delay from now.
TEST_CASE("retry-after reads HTTP dates in the three RFC 9110 forms", "[hooks]") {
  CHECK(hooks::parse_retry_after("Sun, 06 Nov 1994 08:51:37 GMT", rfc_now) == seconds(120));
  CHECK(hooks::parse_retry_after("Sunday, 06-Nov-94 08:50:37 GMT", rfc_now) == seconds(60));
  CHECK(hooks::parse_retry_after("Sun Nov  6 08:49:47 1994", rfc_now) == seconds(10));
}

// A date already past means "now"; anything unreadable is no wish at all.
TEST_CASE("retry-after in the past is zero and garbage is ignored", "[hooks]") {
  CHECK(hooks::parse_retry_after("Sun, 06 Nov 1994 08:00:00 GMT", rfc_now) == seconds(0));
  CHECK_FALSE(hooks::parse_retry_after("", rfc_now));
  CHECK_FALSE(hooks::parse_retry_after("soon", rfc_now));
  CHECK_FALSE(hooks::parse_retry_after("-5", rfc_now));
  CHECK_FALSE(hooks::parse_retry_after("Sun, 06 Nov 1994 08:51:37 GMT trailing", rfc_now));
}

// Transport errors and timeouts are transient: retry, and the detail says which it was.
TEST_CASE("classify_http retries transport errors and timeouts", "[hooks]") {
  net::HttpResponse refused;
  refused.error = "Couldn't connect to server";
  auto outcome = hooks::classify_http(refused, rfc_now);
  REQUIRE(outcome);
  CHECK(outcome->kind == Outcome::Kind::retry);
  CHECK(outcome->detail == "transport error: Couldn't connect to server");
  net::HttpResponse slow;
  slow.error = "Timeout was reached";
  slow.timed_out = true;
  CHECK(hooks::classify_http(slow, rfc_now)->detail == "timed out: Timeout was reached");
}

// Each class of status maps to its outcome; 429 and 503 carry the panel's Retry-After.
TEST_CASE("classify_http maps status codes to outcomes", "[hooks]") {
  CHECK_FALSE(hooks::classify_http(answer(200), rfc_now));
  CHECK_FALSE(hooks::classify_http(answer(204), rfc_now));
  CHECK(hooks::classify_http(answer(410, "gone"), rfc_now)->kind == Outcome::Kind::disable_panel);
  const auto limited = hooks::classify_http(answer(429, "slow down", {{"retry-after", "30"}}), rfc_now);
  CHECK(limited->kind == Outcome::Kind::retry);
  CHECK(limited->retry_after == seconds(30));
  CHECK(limited->detail == "HTTP 429: slow down");
  const auto busy =
      hooks::classify_http(answer(503, "", {{"retry-after", "Sun, 06 Nov 1994 08:54:37 GMT"}}), rfc_now);
  CHECK(busy->kind == Outcome::Kind::retry);
  CHECK(busy->retry_after == seconds(300));
  CHECK(hooks::classify_http(answer(500), rfc_now)->kind == Outcome::Kind::retry);
  CHECK_FALSE(hooks::classify_http(answer(500), rfc_now)->retry_after);
  CHECK(hooks::classify_http(answer(408), rfc_now)->kind == Outcome::Kind::retry);
  CHECK(hooks::classify_http(answer(404, "no such account"), rfc_now)->kind == Outcome::Kind::failed);
  CHECK(hooks::classify_http(answer(404, "no such account"), rfc_now)->detail == "HTTP 404: no such account");
  const auto moved = hooks::classify_http(answer(301, "", {{"location", "https://elsewhere/"}}), rfc_now);
  CHECK(moved->kind == Outcome::Kind::failed);
  CHECK(moved->detail == "HTTP 301: unexpected redirect to https://elsewhere/");
}

// A body excerpt is one line, without runs of blanks, and cut at the length asked for.
TEST_CASE("body_excerpt flattens and shortens a body", "[hooks]") {
  CHECK(hooks::body_excerpt("<html>\r\n  <b>Oops</b>\n</html>\n") == "<html> <b>Oops</b> </html>");
  CHECK(hooks::body_excerpt(std::string(500, 'x'), 10) == "xxxxxxxxxx...");
  CHECK(hooks::body_excerpt("") == "");
}
