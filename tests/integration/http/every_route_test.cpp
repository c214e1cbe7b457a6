// Every route the router has, taken from the router itself so that a new route is covered the
// day it is added: refused without credentials, 413 over 1 MiB, 400 for malformed JSON where it
// reads a body, and nothing written by any of it.
#include <catch2/catch.hpp>

#include <map>

#include "api_fixture.hpp"
#include "http/server.hpp"

using namespace cobrador;
using namespace cobrador::testing;

namespace {

// The credential each route takes: a token with its scope, or a signing secret.
struct Credential {
  std::string token;
  std::string secret;
  std::string other_scope;  // a valid token without the route's scope
};

const std::map<std::string, Credential> kCredentials{
    {"PUT /v1/customers/{id}", {kBillingToken, "", kReaderToken}},
    {"PUT /v1/services/{id}", {kBillingToken, "", kReaderToken}},
    {"PUT /v1/invoices/{id}", {kBillingToken, "", kOperatorToken}},
    {"POST /v1/payments", {kBillingToken, "", kAreaToken}},
    {"POST /v1/hooks/bank/{source}", {"", kBankNewSecret, ""}},
    {"POST /v1/hooks/panel/{panel}", {"", kPanelSecret, ""}},
    {"GET /v1/customers/{id}", {kReaderToken, "", kBillingToken}},
    {"GET /v1/forecast", {kReaderToken, "", kBillingToken}},
    {"POST /v1/bank-statements", {kErpToken, "", kReaderToken}},
    {"POST /v1/customers/{id}/trust-release", {kAreaToken, "", kBillingToken}},
    {"POST /v1/customers/{id}/payment-claims", {kAreaToken, "", kOperatorToken}},
    {"POST /v1/services/{id}/backups", {kAreaToken, "", kReaderToken}},
    {"POST /v1/services/{id}/cancellation", {kAreaToken, "", kBillingToken}},
    {"DELETE /v1/services/{id}/cancellation", {kAreaToken, "", kBillingToken}},
    {"POST /v1/services/{id}/suspension", {kOperatorToken, "", kBillingToken}},
    {"DELETE /v1/services/{id}/suspension", {kOperatorToken, "", kAreaToken}},
    {"GET /v1/tasks", {kReaderToken, "", kBillingToken}},
    {"POST /v1/tasks/{id}/outcome", {kOperatorToken, "", kReaderToken}},
    {"POST /v1/customers/{id}/contacts", {kOperatorToken, "", kAreaToken}},
    {"GET /healthz", {"", "", ""}},
    {"GET /metrics", {"", "", ""}},
};

std::string concrete(std::string pattern) {
  for (const auto& [name, value] :
       {std::pair{"{id}", "c1"}, {"{source}", "bank-pix"}, {"{panel}", "noc"}, {"{entry}", "e1"}}) {
    if (const auto at = pattern.find(name); at != std::string::npos)
      pattern.replace(at, std::string(name).size(), value);
  }
  return pattern == "/v1/forecast" ? pattern + "?days=3" : pattern;
}

Reply send(ApiFixture& api, const std::string& method, const std::string& path, const std::string& body,
           const Credential& credential, int n) {
  if (!credential.secret.empty()) {
    return api.signed_call(path, body, credential.secret, "route-" + std::to_string(n));
  }
  return api.call(method, path, body, credential.token);
}

// A console route (lib/web, docs/console.md): its pages are for a signed-in session, not a
// token. Without one: the sign-in page and the stylesheet answer, the sign-in form refuses no
// token with 401, /console goes to /console/, and everything else to the sign-in page; a body
// over 1 MiB is refused before any of it.
void check_console_route(ApiFixture& api, const http::Route& route, const std::string& big) {
  const auto path = concrete(route.pattern);
  const auto anonymous = api.call(route.method, path);
  if (path == "/console/sign-in" && route.method == "GET") {
    CHECK(anonymous.status == 200);
  } else if (path == "/console/assets/console.css") {
    CHECK(anonymous.status == 200);
  } else if (path == "/console/sign-in") {
    CHECK(anonymous.status == 401);
  } else {
    CHECK(anonymous.status == 303);
    CHECK(anonymous.header("location") == (path == "/console" ? "/console/" : "/console/sign-in"));
  }
  CHECK(api.call(route.method, path, big).status == 413);
}

// A customer-page route (lib/web, docs/customer-page.md): it takes a signed link, not a token.
// A wrong link gets the plain page (403) and changes nothing; the stylesheet answers; a body
// over 1 MiB is refused before any of it.
void check_customer_page_route(ApiFixture& api, const http::Route& route, const std::string& big) {
  auto path = route.pattern;
  if (const auto at = path.find("{token}"); at != std::string::npos) path.replace(at, 7, "1.2.3.not-signed");
  CHECK(api.call(route.method, path).status == (path == "/c/assets/page.css" ? 200 : 403));
  CHECK(api.call(route.method, path, big).status == 413);
}

}  // namespace

// Each route: 401 without credentials or with wrong ones, 403 for the wrong scope, 401 for a
// bad signature or a stale timestamp, 413 for 1 MiB + 1 byte, 400 for malformed JSON bodies.
TEST_CASE("every route refuses missing credentials, big bodies and malformed JSON", "[http]") {
  ApiFixture api;
  int n = 0;
  std::string big(1024 * 1024 + 1, ' ');
  for (const auto& route : api.server().api().router().routes()) {
    const auto key = route.method + " " + route.pattern;
    INFO(key);
    if (route.pattern.rfind("/console", 0) == 0) {
      check_console_route(api, route, big);
      continue;
    }
    if (route.pattern.rfind("/c/", 0) == 0) {
      check_customer_page_route(api, route, big);
      continue;
    }
    REQUIRE(kCredentials.count(key) == 1);  // a new route needs its line above
    const auto& credential = kCredentials.at(key);
    const auto path = concrete(route.pattern);
    const bool open = credential.token.empty() && credential.secret.empty();

    const auto anonymous = api.call(route.method, path);
    CHECK(anonymous.status == (open ? 200 : 401));
    CHECK(send(api, route.method, path, big, credential, ++n).status == 413);
    if (!credential.token.empty()) {
      CHECK(api.call(route.method, path, "{}", "wrong-token").error_code() == "invalid_token");
      CHECK(api.call(route.method, path, "{}", credential.other_scope).error_code() == "insufficient_scope");
    }
    if (!credential.secret.empty()) {
      CHECK(api.signed_call(path, "{}", kVectorSecret, "route-x").error_code() == "bad_signature");
      const auto stale = api.now() - std::chrono::seconds{301};
      CHECK(api.signed_call(path, "{}", credential.secret, "route-y", stale).error_code() ==
            "stale_timestamp");
    }

    const bool reads_body = !open && route.method != "GET" && route.method != "DELETE";
    if (!reads_body) continue;
    const auto malformed = send(api, route.method, path, "{\"id\": ", credential, ++n);
    // A statement's body is a file, not JSON.
    const bool statement = route.pattern == "/v1/bank-statements";
    CHECK(malformed.status == 400);
    if (malformed.status == 400)
      CHECK(malformed.error_code() == (statement ? "invalid_statement" : "malformed_json"));
  }
  for (const auto* table : {"customers", "services", "invoices", "payments", "webhook_receipts", "alerts",
                            "tasks", "contacts", "notice_acknowledgements", "promises"}) {
    INFO(table);
    CHECK(api.count(std::string("SELECT COUNT(*) FROM ") + table) == 0);
  }
}
