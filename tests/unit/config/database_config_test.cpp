// cobrador.yaml's database: a SQLite path made absolute next to the file, or a PostgreSQL URI
// kept as written, whose password may only come from database_password_file.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include "config/config.hpp"

using namespace cobrador;

TEST_CASE("database: a relative SQLite path sits next to cobrador.yaml", "[config]") {
  const auto config = config::parse_config("database: var/cobrador.db\n", "/etc/cobrador/cobrador.yaml");
  REQUIRE(config);
  CHECK(config->database == "/etc/cobrador/var/cobrador.db");
  CHECK(config->database_password_file.empty());
}

TEST_CASE("database: a PostgreSQL URI is kept as written, with its password file", "[config]") {
  const auto config = config::parse_config(
      "database: \"postgresql://cobrador@db.example.com/cobrador?sslmode=verify-full\"\n"
      "database_password_file: db.pass\n",
      "/etc/cobrador/cobrador.yaml");
  INFO((config ? "" : config.error().message));
  REQUIRE(config);
  CHECK(config->database == "postgresql://cobrador@db.example.com/cobrador?sslmode=verify-full");
  CHECK(config->database_password_file == "db.pass");
}

TEST_CASE("database: a password inside the URI is refused, with its place", "[config]") {
  for (const char* uri : {"postgresql://cobrador:s3cret@db.example.com/cobrador",
                          "postgres://db.example.com/cobrador?user=cobrador&password=s3cret"}) {
    INFO(uri);
    const auto config =
        config::parse_config(fmt::format("database: \"{}\"\n", uri), "/etc/cobrador/cobrador.yaml");
    REQUIRE_FALSE(config);
    CHECK_THAT(config.error().message, Catch::Contains("/etc/cobrador/cobrador.yaml:1:") &&
                                           Catch::Contains("database_password_file"));
    CHECK(config.error().message.find("s3cret") == std::string::npos);  // never repeated in the error
  }
}
