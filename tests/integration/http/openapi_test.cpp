// docs/openapi.yaml describes every route the router has, and no route it does not have.
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

#include <yaml-cpp/yaml.h>

#include "api_fixture.hpp"
#include "http/server.hpp"

using namespace cobrador;
using namespace cobrador::testing;

namespace {

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

std::set<std::string> documented_routes() {
  const auto document = YAML::LoadFile(std::string(COBRADOR_SOURCE_DIR) + "/docs/openapi.yaml");
  std::set<std::string> routes;
  for (const auto& path : document["paths"]) {
    for (const auto& operation : path.second) {
      const auto method = operation.first.as<std::string>();
      if (method == "parameters" || method == "summary" || method == "description") continue;
      routes.insert(lower(method) + " " + path.first.as<std::string>());
    }
  }
  return routes;
}

}  // namespace

// Every (method, path) of the router is in the OpenAPI file, and every one there is routed.
TEST_CASE("docs/openapi.yaml and the router list the same routes", "[http]") {
  ApiFixture api;
  std::set<std::string> routed;
  // The console's pages and the customer's page are HTML for people, described in
  // docs/console.md and docs/customer-page.md, not API routes.
  for (const auto& route : api.server().api().router().routes())
    if (route.pattern.rfind("/console", 0) != 0 && route.pattern.rfind("/c/", 0) != 0)
      routed.insert(lower(route.method) + " " + route.pattern);
  const auto documented = documented_routes();
  for (const auto& route : routed) {
    INFO(route);
    CHECK(documented.count(route) == 1);
  }
  for (const auto& route : documented) {
    INFO(route);
    CHECK(routed.count(route) == 1);
  }
  CHECK(routed.size() >= 16);
}
