// A console session on a Site's server, signed in with a token through the sign-in form (its
// cookie kept), for the console's tests: pages asked and forms posted with that cookie.
#pragma once

#include <catch2/catch.hpp>

#include <string>

#include "integration/correctness/site.hpp"
#include "integration/http/http_test_client.hpp"

namespace cobrador::testing {

struct ConsoleClient {
  Site& site;
  Instant now;
  std::string cookie;

  ConsoleClient(Site& s, Instant at, const std::string& token) : site(s), now(at) {
    const auto reply = http_request("POST", site.url("/console/sign-in", now), "token=" + token,
                                    {{"Content-Type", "application/x-www-form-urlencoded"}});
    REQUIRE(reply.status == 303);
    const auto set = reply.header("set-cookie");
    cookie = set.substr(0, set.find(';'));
  }

  Reply get(const std::string& path) const {
    return http_request("GET", site.url(path, now), "", {{"Cookie", cookie}});
  }

  Reply post(const std::string& path, const std::string& form) const {
    return http_request("POST", site.url(path, now), form,
                        {{"Cookie", cookie}, {"Content-Type", "application/x-www-form-urlencoded"}});
  }

  // The session's CSRF token, as its pages carry it.
  std::string csrf() const {
    const auto page = get("/console/work").body;
    const std::string marker = R"(name="csrf" value=")";
    const auto at = page.find(marker);
    REQUIRE(at != std::string::npos);
    return page.substr(at + marker.size(), 64);
  }
};

}  // namespace cobrador::testing
