// The billing systems as panels in cobrador.yaml (issue 24, docs/connectors.md): `whmcs` takes
// the API credential's identifier_file and secret_file, `fossbilling` the admin API key_file;
// each refused without them, at its place.
#include <catch2/catch.hpp>

#include "config/config.hpp"

using namespace cobrador;

TEST_CASE("whmcs and fossbilling panels are read with their credentials' files", "[config]") {
  const auto config = config::parse_config(
      "database: /var/lib/cobrador/a.db\n"
      "panels:\n"
      "  whmcs: { type: whmcs, url: https://billing.example.com, identifier_file: whmcs.id, secret_file: "
      "whmcs.secret }\n"
      "  fb: { type: fossbilling, url: https://fb.example.com, key_file: fb.key, kinds: [hosting, vps] }\n",
      "cobrador.yaml");
  INFO((config ? "" : config.error().message));
  REQUIRE(config);
  const auto& whmcs = config->panels.at("whmcs");
  CHECK(whmcs.type == "whmcs");
  CHECK(whmcs.identifier_file == "whmcs.id");
  CHECK(whmcs.secret_file == "whmcs.secret");
  CHECK(config->panels.at("fb").secret_file == "fb.key");
}

TEST_CASE("a whmcs or fossbilling panel without its credentials is refused at its place", "[config]") {
  const auto config = config::parse_config(
      "database: /var/lib/cobrador/a.db\n"
      "panels:\n"
      "  whmcs: { type: whmcs, url: https://billing.example.com }\n"
      "  fb: { type: fossbilling, url: https://fb.example.com }\n",
      "cobrador.yaml");
  REQUIRE_FALSE(config);
  INFO(config.error().message);
  CHECK_THAT(config.error().message, Catch::Contains("cobrador.yaml:3:"));
  CHECK_THAT(config.error().message, Catch::Contains("identifier_file"));
  CHECK_THAT(config.error().message, Catch::Contains("secret_file"));
  CHECK_THAT(config.error().message, Catch::Contains("cobrador.yaml:4:"));
  CHECK_THAT(config.error().message, Catch::Contains("key_file"));
}
