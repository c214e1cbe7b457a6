// The console's doors (docs/console.md), over real HTTP against the real server on 127.0.0.1:
// sign-in exchanges an operator or read token for an HttpOnly, SameSite=Strict session cookie; a
// wrong token, or one without a console scope, is refused; a form without the session's CSRF
// token changes nothing; pages carry a policy that runs no script and loads nothing from
// elsewhere.
#include <catch2/catch.hpp>

#include <string>

#include "integration/http/api_fixture.hpp"
#include "support/has_text.hpp"

using namespace cobrador;
using namespace cobrador::testing;

namespace console_test {

// The session cookie a sign-in set ("cobrador_console=<hex>"), or "".
std::string session_of(const Reply& reply) {
  const auto cookie = reply.header("set-cookie");
  return cookie.substr(0, cookie.find(';'));
}

std::string sign_in(ApiFixture& api, const std::string& token) {
  const auto reply = api.call("POST", "/console/sign-in", "token=" + token, "",
                              {{"Content-Type", "application/x-www-form-urlencoded"}});
  REQUIRE(reply.status == 303);
  return session_of(reply);
}

// The value of the form field `csrf` on a page.
std::string csrf_of(const std::string& page) {
  const std::string marker = R"(name="csrf" value=")";
  const auto at = page.find(marker);
  REQUIRE(at != std::string::npos);
  const auto start = at + marker.size();
  return page.substr(start, page.find('"', start) - start);
}

}  // namespace console_test

using namespace console_test;

TEST_CASE("console: a token signs in to a session cookie, a wrong one does not", "[console]") {
  ApiFixture api;
  // Not signed in: the sign-in page, never data.
  const auto away = api.call("GET", "/console/");
  CHECK(away.status == 303);
  CHECK(away.header("location") == "/console/sign-in");
  const auto form = api.call("GET", "/console/sign-in");
  CHECK(form.status == 200);
  CHECK(form.header("content-type") == "text/html; charset=utf-8");
  CHECK_THAT(form.body, Catch::Contains(R"(name="token" type="password")"));

  const HeaderList as_form{{"Content-Type", "application/x-www-form-urlencoded"}};
  for (const auto& token : {std::string("not-a-token"), kBillingToken, std::string()}) {
    const auto refused = api.call("POST", "/console/sign-in", "token=" + token, "", as_form);
    CHECK(refused.status == 401);
    CHECK(refused.header("set-cookie").empty());
    CHECK_THAT(refused.body, Catch::Contains("This token does not open the console."));
  }

  const auto signed_in = api.call("POST", "/console/sign-in", "token=" + kOperatorToken, "", as_form);
  REQUIRE(signed_in.status == 303);
  CHECK(signed_in.header("location") == "/console/");
  const auto cookie = signed_in.header("set-cookie");
  CHECK_THAT(cookie, Catch::StartsWith("cobrador_console="));
  CHECK_THAT(cookie, Catch::Contains("; HttpOnly"));
  CHECK_THAT(cookie, Catch::Contains("; SameSite=Strict"));
  CHECK_THAT(cookie, Catch::Contains("; Path=/console"));
  CHECK_THAT(cookie, Catch::Contains("; Max-Age=28800"));
  CHECK(session_of(signed_in).size() == std::string("cobrador_console=").size() + 64);

  const auto today = api.call("GET", "/console/", "", "", {{"Cookie", session_of(signed_in)}});
  REQUIRE(today.status == 200);
  CHECK_THAT(today.body, Catch::Contains("<h1>Today</h1>"));
  CHECK_THAT(today.body, Catch::Contains("Customers in dunning"));
  CHECK_THAT(today.body, Catch::Contains("ops (operator)"));
  CHECK_THAT(today.header("content-security-policy"), Catch::Contains("default-src 'none'"));
  CHECK(today.header("cache-control") == "no-store");
  // A cookie that was never issued is no session.
  CHECK(
      api.call("GET", "/console/", "", "", {{"Cookie", "cobrador_console=" + std::string(64, 'a')}}).status ==
      303);
}

TEST_CASE("console: signing out needs the session's CSRF token", "[console]") {
  ApiFixture api;
  const auto session = sign_in(api, kReaderToken);
  const HeaderList with_session{{"Cookie", session}, {"Content-Type", "application/x-www-form-urlencoded"}};
  const auto page = api.call("GET", "/console/", "", "", {{"Cookie", session}});
  REQUIRE(page.status == 200);
  CHECK_THAT(page.body, Catch::Contains("(read only)"));
  const auto csrf = csrf_of(page.body);
  CHECK(csrf.size() == 64);

  // Without the token, or with another, the form is ignored: the session stays.
  api.call("POST", "/console/sign-out", "", "", with_session);
  api.call("POST", "/console/sign-out", "csrf=" + std::string(64, '0'), "", with_session);
  CHECK(api.call("GET", "/console/", "", "", {{"Cookie", session}}).status == 200);

  const auto out = api.call("POST", "/console/sign-out", "csrf=" + csrf, "", with_session);
  CHECK(out.status == 303);
  CHECK(out.header("location") == "/console/sign-in");
  CHECK_THAT(out.header("set-cookie"), Catch::Contains("Max-Age=0"));
  CHECK(api.call("GET", "/console/", "", "", {{"Cookie", session}}).status == 303);
}

TEST_CASE("console: Today shows the stages, the last walk, the outbox and the next 30 days", "[console]") {
  ApiFixture api;
  const auto session = sign_in(api, kOperatorToken);
  const auto today = api.call("GET", "/console/", "", "", {{"Cookie", session}});
  REQUIRE(today.status == 200);
  CHECK_THAT(today.body, Catch::Contains("No walk has run yet."));
  CHECK_THAT(today.body, Catch::Contains("The outbox"));
  CHECK_THAT(today.body, Catch::Contains("The next 30 days"));
  CHECK_THAT(today.body, Catch::Contains(R"(<svg class="chart")"));
  // The stylesheet is the console's own, from the binary.
  const auto css = api.call("GET", "/console/assets/console.css");
  CHECK(css.status == 200);
  CHECK(css.header("content-type") == "text/css; charset=utf-8");
  CHECK_THAT(css.body, Catch::Contains("@media (max-width:640px)"));
}
