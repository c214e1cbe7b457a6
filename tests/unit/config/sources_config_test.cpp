// `sources:` in cobrador.yaml (issue 24, docs/connectors.md): each billing system read with its
// credentials, interval, paging and product mapping; every mistake refused at its line.
#include <catch2/catch.hpp>

#include "config/config.hpp"

using namespace cobrador;

TEST_CASE("sources are read with their credentials, interval and product mapping", "[config]") {
  const auto config = config::parse_config(
      "database: /var/lib/cobrador/a.db\n"
      "panels:\n"
      "  whmcs: { type: whmcs, url: https://billing.example.com, identifier_file: w.id, secret_file: "
      "w.secret }\n"
      "  whm1: { type: cpanel, url: https://whm1.example.com:2087, user: root, token_file: whm1.token }\n"
      "sources:\n"
      "  w1:\n"
      "    type: whmcs\n"
      "    url: https://billing.example.com/\n"
      "    identifier_file: w.id\n"
      "    secret_file: w.secret\n"
      "    interval: 5m\n"
      "    page_size: 100\n"
      "    default_panel: whmcs\n"
      "    locale: pt-BR\n"
      "    products:\n"
      "      \"3\": { kind: vps }\n"
      "      \"7\": { kind: hosting, panel: whm1, account: username }\n"
      "  fb: { type: fossbilling, url: https://fb.example.com, key_file: fb.key }\n",
      "cobrador.yaml");
  INFO((config ? "" : config.error().message));
  REQUIRE(config);
  const auto& w1 = config->sources.at("w1");
  CHECK(w1.type == "whmcs");
  CHECK(w1.url == "https://billing.example.com");
  CHECK(w1.identifier_file == "w.id");
  CHECK(w1.secret_file == "w.secret");
  CHECK(w1.interval == std::chrono::minutes(5));
  CHECK(w1.page_size == 100);
  CHECK(w1.default_panel == "whmcs");
  CHECK(w1.default_kind == "other");
  CHECK(w1.locale == "pt-BR");
  CHECK(w1.products.at("3").kind == "vps");
  CHECK(w1.products.at("3").panel.empty());
  CHECK(w1.products.at("3").account == "service_id");
  CHECK(w1.products.at("7").panel == "whm1");
  CHECK(w1.products.at("7").account == "username");
  const auto& fb = config->sources.at("fb");
  CHECK(fb.secret_file == "fb.key");
  CHECK(fb.interval == std::chrono::minutes(15));
  CHECK(fb.page_size == 250);
}

TEST_CASE("a source's mistakes are refused at their place", "[config]") {
  const auto config = config::parse_config(
      "database: /var/lib/cobrador/a.db\n"
      "sources:\n"
      "  w1: { type: whmcs, url: billing.example.com, secret_file: w.secret, interval: 30s }\n"
      "  fb: { type: fossbilling, url: https://fb.example.com, default_panel: nowhere, page_size: 1000 }\n"
      "  x: { type: blesta, url: https://x.example.com }\n"
      "  y: { type: fossbilling, url: https://y.example.com, key_file: y.key, products: { \"1\": { kind: "
      "fax, "
      "account: login } } }\n",
      "cobrador.yaml");
  REQUIRE_FALSE(config);
  const auto& message = config.error().message;
  INFO(message);
  CHECK_THAT(message, Catch::Contains("cobrador.yaml:3:"));
  CHECK_THAT(message, Catch::Contains("sources.w1.identifier_file"));
  CHECK_THAT(message, Catch::Contains("'billing.example.com' is not an http:// or https:// address"));
  CHECK_THAT(message, Catch::Contains("sources.w1.interval: must be at least 1m"));
  CHECK_THAT(message, Catch::Contains("sources.fb.key_file"));
  CHECK_THAT(message, Catch::Contains("'nowhere' is not a panel of this file's panels:"));
  CHECK_THAT(message, Catch::Contains("sources.fb.page_size"));
  CHECK_THAT(message, Catch::Contains("cobrador.yaml:5:"));
  CHECK_THAT(message, Catch::Contains("blesta"));
  CHECK_THAT(message, Catch::Contains("'fax' is not a kind of service"));
  CHECK_THAT(message, Catch::Contains("sources.y.products.1.account"));
}

TEST_CASE("payments_to names a panel of the source's own type", "[config]") {
  const std::string panels =
      "database: /var/lib/cobrador/a.db\n"
      "panels:\n"
      "  billing: { type: whmcs, url: https://billing.example.com, identifier_file: w.id, secret_file: "
      "w.secret }\n"
      "  foss: { type: fossbilling, url: https://fb.example.com, key_file: fb.key }\n"
      "sources:\n";
  const auto good = config::parse_config(panels +
                                             "  w1: { type: whmcs, url: https://billing.example.com, "
                                             "identifier_file: w.id, secret_file: w.secret, "
                                             "payments_to: billing }\n",
                                         "cobrador.yaml");
  INFO((good ? "" : good.error().message));
  REQUIRE(good);
  CHECK(good->sources.at("w1").payments_to == "billing");
  CHECK(good->sources.at("w1").payment_gateway == "banktransfer");
  const auto wrong = config::parse_config(panels +
                                              "  w1: { type: whmcs, url: https://billing.example.com, "
                                              "identifier_file: w.id, secret_file: w.secret, "
                                              "payments_to: foss }\n",
                                          "cobrador.yaml");
  REQUIRE_FALSE(wrong);
  CHECK_THAT(wrong.error().message, Catch::Contains("cobrador.yaml:6:"));
  CHECK_THAT(wrong.error().message, Catch::Contains("'foss' is not a whmcs panel of this file's panels:"));
}
