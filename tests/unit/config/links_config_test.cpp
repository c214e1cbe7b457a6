// cobrador.yaml's public_url and links: the customer's page (docs/customer-page.md).
#include <catch2/catch.hpp>

#include "config/config.hpp"

namespace links_config_test {

using namespace cobrador;

// The key file, the days a link works, and where receipts go (next to the file by default).
TEST_CASE("links: read with public_url, defaults filled in", "[config][links]") {
  const auto config = config::parse_config(
      "database: cobrador.db\npublic_url: https://billing.example.com/\nlinks: { key_file: links.key }\n",
      "/etc/cobrador/cobrador.yaml");
  INFO((config ? "" : config.error().message));
  REQUIRE(config);
  CHECK(config->public_url == "https://billing.example.com");
  REQUIRE(config->links);
  CHECK(config->links->key_file == "links.key");
  CHECK(config->links->link_days == 30);
  CHECK(config->links->uploads_dir == "/etc/cobrador/uploads");
  CHECK(config->links->max_upload_bytes == 768 * 1024);
  CHECK(config->links->trusted_proxies.empty());
  const auto proxied = config::parse_config(
      "database: cobrador.db\npublic_url: https://b.example.com\nlinks: { key_file: k, trusted_proxies: "
      "[127.0.0.1] }\n",
      "/etc/cobrador/cobrador.yaml");
  REQUIRE(proxied);
  CHECK(proxied->links->trusted_proxies == std::vector<std::string>{"127.0.0.1"});
}

// Without links there is no page.
TEST_CASE("links: absent, no page", "[config][links]") {
  const auto config = config::parse_config("database: cobrador.db\n", "/etc/cobrador/cobrador.yaml");
  REQUIRE(config);
  CHECK_FALSE(config->links);
  CHECK(config->public_url.empty());
}

// Each mistake is refused at its place.
TEST_CASE("links: mistakes are refused with their place", "[config][links]") {
  const auto check = [](const std::string& text, const std::string& expected) {
    const auto config = config::parse_config("database: cobrador.db\n" + text, "cobrador.yaml");
    REQUIRE_FALSE(config);
    CHECK_THAT(config.error().message, Catch::Contains(expected));
  };
  check("links: { key_file: links.key }\n", "cobrador.yaml:2:");
  check("links: { key_file: links.key }\n", "links needs public_url");
  check("public_url: billing.example.com\n",
        "cobrador.yaml:2:13: public_url: 'billing.example.com' is not an http(s) address");
  check("public_url: https://b.example.com\nlinks: { key_file: k, link_days: 0 }\n", "cobrador.yaml:3:");
  check("public_url: https://b.example.com\nlinks: { link_days: 3 }\n", "key_file");
  check("public_url: https://b.example.com\nlinks: { key_file: k, max_upload_kb: 2048 }\n", "max_upload_kb");
  check("public_url: https://b.example.com\nlinks: { key_file: k, color: red }\n", "color");
  check("public_url: https://b.example.com\nlinks: { key_file: k, trusted_proxies: 127.0.0.1 }\n",
        "trusted_proxies");
}

}  // namespace links_config_test
