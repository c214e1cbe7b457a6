// Text that is not UTF-8, and text with control characters, through the real cobradorctl on a
// real database (either store), as a Brazilian ISP's files bring them (issue 19, points 2, 3
// and 7): a Latin-1 file is imported with --encoding latin1 and refused with its place
// without it; what is already stored never stops a --json listing; --json may follow the
// subcommand.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "store/backends/open_store.hpp"
#include "integration/site/cli_site.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"
#include "support/test_database.hpp"

using namespace cobrador;
using namespace cobrador::testing;

// A named namespace, not an anonymous one: the tests build in unity batches.
namespace text_encoding_test {

using Ctl = CliSite;

// "João Ávila" in ISO-8859-1, as a Brazilian ERP exports it.
const std::string kLatin1Name = "Jo\xE3o \xC1vila";
const std::string kUtf8Name = "Jo\xC3\xA3o \xC3\x81vila";

TEST_CASE("import: a Latin-1 CSV is refused with its place, and imported with --encoding latin1", "[cli]") {
  Ctl ctl;
  const auto file =
      ctl.dir.write("customers.csv", "id,name,email\nc1," + kLatin1Name + ",joao@example.com\n");

  auto refused = ctl.run({"import", "customers", file.string()});
  CHECK(refused.exit_code == 1);
  CHECK_THAT(refused.err,
             Catch::Contains(
                 file.string() +
                 ":2: name: not valid UTF-8 (a file in ISO-8859-1 or Windows-1252 needs --encoding latin1)"));
  CHECK_FALSE(store::open_store(ctl.database)->customer("c1"));

  // --json after the subcommand, as the docs write commands.
  auto imported = ctl.run({"import", "customers", file.string(), "--encoding", "latin1", "--json"});
  INFO(imported.err);
  REQUIRE(imported.exit_code == 0);
  CHECK(nlohmann::json::parse(imported.out)["inserted"] == 1);
  const auto shown = nlohmann::json::parse(ctl.run({"show", "customer", "c1", "--json"}).out);
  CHECK(shown["name"] == kUtf8Name);

  // An encoding nobody knows is refused by name.
  auto unknown = ctl.run({"import", "customers", file.string(), "--encoding", "ebcdic"});
  CHECK(unknown.exit_code != 0);
  CHECK_THAT(unknown.err, Catch::Contains("'ebcdic' is not one of utf-8, latin1"));
}

TEST_CASE("import: a JSON line that is not UTF-8 names its field", "[cli]") {
  Ctl ctl;
  const auto file =
      ctl.dir.write("customers.jsonl", "{\"id\": \"c1\", \"name\": \"Ana\"}\n{\"id\": \"c2\", \"name\": \"" +
                                           kLatin1Name + "\"}\n");
  auto refused = ctl.run({"import", "customers", file.string()});
  CHECK(refused.exit_code == 1);
  CHECK_THAT(refused.err, Catch::Contains(file.string() + ":2: name: not valid UTF-8"));
  CHECK_FALSE(store::open_store(ctl.database)->customer("c1"));  // nothing of the file

  REQUIRE(ctl.run({"import", "customers", file.string(), "--encoding", "latin1"}).exit_code == 0);
  CHECK(store::open_store(ctl.database)->customer("c2")->name == kUtf8Name);
}

TEST_CASE("import: a CR/LF or a NUL in a name or an id is refused with the field", "[cli]") {
  Ctl ctl;
  const auto file = ctl.dir.write("customers.csv",
                                  "id,name,email\n"
                                  "c1,\"Ana\r\nBcc: all@example.com\",ana@example.com\n"
                                  "c2\tx,Bruno,bruno@example.com\n");
  auto refused = ctl.run({"import", "customers", file.string()});
  CHECK(refused.exit_code == 1);
  CHECK_THAT(refused.err, Catch::Contains(file.string() + ":2: name: contains a control character (U+000D)"));
  CHECK_THAT(refused.err, Catch::Contains(file.string() + ":4: id: contains a control character (U+0009)"));

  const auto json = ctl.dir.write("customers.jsonl", R"({"id": "c3", "name": "Ana\u0000Maria"})"
                                                     "\n");
  refused = ctl.run({"import", "customers", json.string()});
  CHECK_THAT(refused.err, Catch::Contains(json.string() + ":1: name: contains a control character (U+0000)"));
  CHECK_FALSE(store::open_store(ctl.database)->customer("c3"));
}

// The Banco do Brasil return file of the fixtures, with the company's identification of its first
// título (segment T, columns 106-130) filled in by an ERP that writes `text` in `bytes`.
std::string cnab_with_reference(const std::string& reference) {
  auto content = read_file(std::string(COBRADOR_FIXTURES_DIR) + "/cnab240/laravel-boleto-banco_brasil.ret");
  std::size_t line_start = 0;
  for (int line = 1; line < 3; ++line) line_start = content.find('\n', line_start) + 1;
  REQUIRE(content.substr(line_start + 13, 1) == "T");
  const std::size_t columns = 25;  // of the field, whatever bytes a column takes
  std::string padded = reference + std::string(columns - 15, ' ');  // the reference is 15 characters
  content.replace(line_start + 105, columns, padded);
  return content;
}

TEST_CASE("bank import: a Latin-1 CNAB 240 file is read with --encoding latin1 and refused without",
          "[cli]") {
  Ctl ctl;
  const auto latin1 = ctl.dir.write("bb-latin1.ret", cnab_with_reference("PEDIDO S\xC3O JO\xC3O"));
  auto refused = ctl.run({"bank", "import", latin1.string(), "--json"});
  CHECK(refused.exit_code == 1);
  CHECK_THAT(refused.err, Catch::Contains("bb-latin1.ret: line 3, column 114: not valid UTF-8"));
  CHECK(nlohmann::json::parse(ctl.run({"list", "unmatched", "--json"}).out).empty());

  auto imported = ctl.run({"bank", "import", latin1.string(), "--encoding", "latin1", "--json"});
  INFO(imported.err);
  REQUIRE(imported.exit_code == 0);
  const auto report = nlohmann::json::parse(imported.out);
  const std::string expected = "PEDIDO S\xC3\x83O JO\xC3\x83O";
  CHECK(report["entries"][0]["references"].dump().find(expected) != std::string::npos);

  // The same file written in UTF-8 (two bytes for Ã) keeps its columns: the same entries.
  Ctl again;
  const auto utf8 = again.dir.write("bb-utf8.ret", cnab_with_reference(expected));
  auto same = again.run({"bank", "import", utf8.string(), "--json"});
  INFO(same.err);
  REQUIRE(same.exit_code == 0);
  CHECK(nlohmann::json::parse(same.out)["entries"] == report["entries"]);
}

TEST_CASE("bank import: a Latin-1 CSV statement, then list unmatched --json", "[cli]") {
  Ctl ctl;
  const auto file = ctl.dir.write("extrato.csv",
                                  "date,amount,currency,reference,description\n"
                                  "2026-02-27,49.90,BRL,X-1,PIX de " +
                                      kLatin1Name + " \x96 mensalidade\n");
  auto refused = ctl.run({"bank", "import", file.string()});
  CHECK(refused.exit_code == 1);
  CHECK_THAT(refused.err, Catch::Contains("extrato.csv: line 2: description: not valid UTF-8"));

  auto imported = ctl.run({"bank", "import", file.string(), "--encoding", "windows-1252", "--json"});
  INFO(imported.err);
  REQUIRE(imported.exit_code == 0);
  CHECK(nlohmann::json::parse(imported.out)["unmatched"] == 1);

  const auto listed = ctl.run({"list", "unmatched", "--json"});
  REQUIRE(listed.exit_code == 0);
  const auto rows = nlohmann::json::parse(listed.out);
  REQUIRE(rows.size() == 1);
  // Windows-1252's 0x96 is an en dash.
  CHECK(rows[0]["references"].dump().find("mensalidade") != std::string::npos);
  CHECK(rows[0]["references"].dump(-1, ' ', false).find(kUtf8Name.substr(0, 5)) != std::string::npos);
}

TEST_CASE("text stored before it was checked still prints as JSON", "[cli]") {
  // PostgreSQL never stored such bytes (its UTF8 databases refuse them); SQLite took them.
  if (testing_postgresql()) return;
  Ctl ctl;
  REQUIRE(ctl.run({"import", "customers", ctl.dir.write("c.csv", "id,name\nc1,Ana\n").string()}).exit_code ==
          0);
  {
    // A row written by an older cobrador, which took any bytes.
    auto store = store::open_store(ctl.database);
    auto customer = *store->customer("c1");
    customer.name = kLatin1Name + "\r\n";
    REQUIRE(store->upsert_customer(customer));
  }
  const auto shown = ctl.run({"--json", "show", "customer", "c1"});
  INFO(shown.err);
  REQUIRE(shown.exit_code == 0);
  CHECK(nlohmann::json::parse(shown.out)["name"] == "Jo\xEF\xBF\xBDo \xEF\xBF\xBDvila\r\n");
}

}  // namespace text_encoding_test
