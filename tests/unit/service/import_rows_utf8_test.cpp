// Regression test of the fuzzer's finding in `import_rows` (docs/reliability.md,
// tests/fuzz/findings/import_rows/latin1-field-json-dump): a customer row with a byte that is
// not UTF-8 was accepted, and its JSON (customer_json(...).dump()) threw type_error.316, the
// abort of issue 19. read_import_rows now refuses such a field, naming the file, the line and
// the column, in CSV and in JSON lines.
#include <catch2/catch.hpp>

#include <string>

#include "service/entity_fields.hpp"
#include "service/import_rows.hpp"

using namespace cobrador;

namespace import_rows_utf8_test {

std::string error_of(const std::string& text) {
  const auto rows =
      service::read_import_rows(text, "customers.csv", service::columns_of(service::ImportKind::customers));
  REQUIRE_FALSE(rows.ok());
  return rows.error().message;
}

TEST_CASE("an import row with a Latin-1 byte is refused naming file, line and field", "[service]") {
  // The reproducer without its first byte (the import kind): line 3's email has 0xE5.
  const std::string csv =
      "id,name,email,phone,locale,customer_since,tags,exempt_until\n"
      "c1,Ana Silva,ana@example.com;ana2@example.com,+5511987654321,pt-BR,2024-01-10,vip;isp,\n"
      "c2,\"Smith, Ann\",ann@\xE5xample.com,,en,,,2026-12-31\n";
  CHECK(error_of(csv) ==
        "customers.csv:3: email: not valid UTF-8 (a file in ISO-8859-1 or Windows-1252 needs --encoding "
        "latin1)");
  CHECK(error_of("{\"id\": \"c1\", \"name\": \"Jo\xE3o\"}\n") ==
        "customers.csv:1: name: not valid UTF-8 (a file in ISO-8859-1 or Windows-1252 needs --encoding "
        "latin1)");

  // The same row in UTF-8 is read.
  const auto rows =
      service::read_import_rows("id,name,email\nc2,Ann,ann@\xC3\xA5xample.com\n", "customers.csv",
                                service::columns_of(service::ImportKind::customers));
  REQUIRE(rows.ok());
  REQUIRE(rows->size() == 1);
  CHECK(rows->front().fields.at("email") == "ann@\xC3\xA5xample.com");
}

}  // namespace import_rows_utf8_test
