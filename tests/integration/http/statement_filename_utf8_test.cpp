// Regression test of the fuzzer's finding in `api` (docs/reliability.md,
// tests/fuzz/findings/api/cnab-non-utf8-statement-500): a CNAB 240 upload whose `filename`
// held a byte that is not UTF-8 was answered 500 (the report's JSON threw type_error.316).
// The filename and the source are now checked before the import: 400 invalid_field naming
// the parameter, and nothing is written.
#include <catch2/catch.hpp>

#include "api_fixture.hpp"
#include "support/temp_dir.hpp"

using namespace cobrador;
using namespace cobrador::testing;

namespace statement_filename_utf8_test {

std::string bb_statement() {
  return read_file(std::string(COBRADOR_FIXTURES_DIR) + "/cnab240/laravel-boleto-banco_brasil.ret");
}

TEST_CASE("bank statements: a filename that is not UTF-8 is refused with 400, never 500", "[http][bank]") {
  ApiFixture api;
  const auto written = [&api] {
    return api.count(
        "SELECT (SELECT COUNT(*) FROM payments) + (SELECT COUNT(*) FROM bank_entries) + "
        "(SELECT COUNT(*) FROM bank_imports)");
  };
  // The reproducer's request: the fixture, named with a Windows-1252 en dash (0x97).
  const auto refused =
      api.call("POST", "/v1/bank-statements?source=bank&filename=laravel-boleto-banco_brasi%97.ret",
               bb_statement(), kErpToken);
  CHECK(refused.status == 400);
  CHECK(refused.error_code() == "invalid_field");
  CHECK(refused.error_field() == "filename");
  CHECK(refused.json()["error"]["message"] == "filename: not valid UTF-8");
  const auto source = api.call("POST", "/v1/bank-statements?source=b%E3nk", bb_statement(), kErpToken);
  CHECK(source.status == 400);
  CHECK(source.error_field() == "source");
  CHECK(written() == 0);

  // The same file under a UTF-8 name is imported.
  const auto taken = api.call("POST", "/v1/bank-statements?source=bank&filename=banco_brasi%E2%80%94.ret",
                              bb_statement(), kErpToken);
  INFO(taken.body);
  CHECK(taken.status == 200);
  CHECK(taken.json()["filename"] == "banco_brasi\xE2\x80\x94.ret");
}

}  // namespace statement_filename_utf8_test
