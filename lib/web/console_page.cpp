// Implements web/console_page.hpp.
#include "web/console_page.hpp"

#include <array>
#include <utility>

namespace cobrador::web {

namespace {

struct NavEntry {
  ConsolePlace place;
  const char* href;
  const char* label;
};

constexpr std::array kNavigation{NavEntry{ConsolePlace::today, "/console/", "Today"},
                                 NavEntry{ConsolePlace::dunning, "/console/dunning", "Did dunning work?"},
                                 NavEntry{ConsolePlace::customers, "/console/customers", "Customers"},
                                 NavEntry{ConsolePlace::work, "/console/work", "Work"}};

void add_security_headers(http::Response& response) {
  // Every asset is the console's own; no script runs at all, and no other site may frame it.
  response.headers.emplace_back(
      "Content-Security-Policy",
      "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
      "frame-ancestors 'none'; base-uri 'none'");
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  response.headers.emplace_back("Referrer-Policy", "same-origin");
  response.headers.emplace_back("Cache-Control", "no-store");
}

}  // namespace

Html csrf_field(const ConsoleSession& session) {
  return html(R"(<input type="hidden" name="csrf" value="{}">)", session.csrf);
}

http::Response console_page(const ConsoleSession* session, ConsolePlace place, std::string_view title,
                            const Html& body, int status) {
  Html navigation;
  if (session) {
    for (const auto& entry : kNavigation) {
      navigation += html(R"(<a href="{}"{}>{}</a>)", entry.href,
                         Html{entry.place == place ? R"( aria-current="page")" : ""}, entry.label);
    }
    navigation += html(
        R"(<span class="who">{} ({})</span><form method="post" action="/console/sign-out">{}<button class="quiet" type="submit">Sign out</button></form>)",
        session->client, session->may_change ? "operator" : "read only", csrf_field(*session));
  }
  const auto page = html(
      R"(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{} · cobrador</title><link rel="stylesheet" href="/console/assets/console.css"></head>
<body><a class="skip" href="#main">Skip to the page</a><header class="top"><strong>cobrador</strong>{}</header>
<main id="main"><h1>{}</h1>
{}</main></body></html>
)",
      title, navigation, title, body);
  http::Response response;
  response.status = status;
  response.content_type = "text/html; charset=utf-8";
  response.body = page.markup;
  add_security_headers(response);
  return response;
}

http::Response see_other(std::string location) {
  http::Response response;
  response.status = 303;
  response.content_type = "text/plain; charset=utf-8";
  response.headers.emplace_back("Location", std::move(location));
  add_security_headers(response);
  return response;
}

}  // namespace cobrador::web
