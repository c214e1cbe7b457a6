// camt text encodings and versions (issue 19, points 2 and 6): a document declared in
// Windows-1252 or ISO-8859-1 is read into UTF-8, a caller's encoding overrides a wrong
// declaration, bytes that are not what the document says are refused with expat's line and
// column, and versions 001.09 to 001.12 read as 001.08 does.
#include <catch2/catch.hpp>

#include "bank/camt_parser.hpp"
#include "bank/camt_stream.hpp"
#include "bank/statement.hpp"
#include "bank_test_support.hpp"

using namespace cobrador;
using namespace cobrador::bank;
using namespace cobrador::bank::testing;

namespace camt_encoding_test {

// The returns fixture with its first Ustrd replaced by `text` and its declaration by `declaration`.
std::string returns_with(std::string_view declaration, std::string_view text) {
  auto xml = fixture(kReturns);
  const auto end_of_declaration = xml.find("?>");
  REQUIRE(xml.starts_with("<?xml"));
  xml.replace(0, end_of_declaration + 2, declaration);
  const auto open = xml.find("<Ustrd>") + 7;
  xml.replace(open, xml.find("</Ustrd>", open) - open, text);
  return xml;
}

std::string all_references(const std::vector<BankEntry>& entries) {
  std::string out;
  for (const auto& entry : entries) {
    for (const auto& reference : entry.references) out += reference.value + " ";
  }
  return out;
}

TEST_CASE("camt declared in Windows-1252 or ISO-8859-1 is read into UTF-8", "[bank]") {
  for (const auto declaration : {"<?xml version=\"1.0\" encoding=\"windows-1252\"?>",
                                 "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>"}) {
    INFO(declaration);
    const auto entries = parse_camt(returns_with(declaration, "Mensalidade Jo\xE3o \x96 ok"));
    INFO((entries ? "" : entries.error().message));
    REQUIRE(entries);
    CHECK_THAT(all_references(*entries), Catch::Contains("Jo\xC3\xA3o"));
  }
  // Windows-1252's en dash at 0x96, where ISO-8859-1 has a C1 control: read as Windows-1252.
  const auto entries =
      parse_camt(returns_with("<?xml version=\"1.0\" encoding=\"windows-1252\"?>", "Jo\xE3o\x96Maria"));
  REQUIRE(entries);
  CHECK_THAT(all_references(*entries), Catch::Contains("Jo\xC3\xA3o\xE2\x80\x93Maria"));
}

TEST_CASE("camt bytes that are not UTF-8 are refused with expat's place, or read as the caller says",
          "[bank]") {
  const auto xml = returns_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", "Jo\xE3o");
  const auto refused = parse_camt(xml);
  REQUIRE_FALSE(refused);
  CHECK_THAT(refused.error().message, Catch::Matches("line \\d+, column \\d+: not well-formed XML: .*"));

  const auto read = parse_camt(xml, TextEncoding::windows1252);
  INFO((read ? "" : read.error().message));
  REQUIRE(read);
  CHECK_THAT(all_references(*read), Catch::Contains("Jo\xC3\xA3o"));
  // And through the statement entry point, as cobradorctl bank import --encoding latin1 calls it.
  const auto statement = read_statement(xml, "notif.xml", TextEncoding::windows1252);
  REQUIRE(statement);
  CHECK(statement->entries == *read);
}

TEST_CASE("camt.053 versions 001.09 to 001.12 read as 001.08", "[bank]") {
  const auto v8 = fixture(kV8);
  const auto expected = parse_camt(v8);
  REQUIRE(expected);
  for (const auto version : {"001.09", "001.10", "001.11", "001.12"}) {
    INFO(version);
    const auto xml = replace_once(v8, "camt.053.001.08", std::string("camt.053.") + version);
    const auto entries = read_camt(xml);
    INFO((entries ? "" : entries.error().message));
    REQUIRE(entries);
    CHECK(entries->format == Format::camt053);
    CHECK(entries->entries == *expected);
  }
  const auto unknown = parse_camt(replace_once(v8, "camt.053.001.08", "camt.053.001.13"));
  REQUIRE_FALSE(unknown);
  CHECK_THAT(unknown.error().message, Catch::Contains("001.08 to 001.12"));
}

// A malformed document of many entries is refused by expat as it streams, with its place; the
// reader never holds it whole (docs/bank-formats.md).
TEST_CASE("a large malformed camt is refused with expat's line and column", "[bank]") {
  auto xml = fixture(kV8);
  const auto entry_start = xml.find("<Ntry>");
  const auto entry_end = xml.find("</Ntry>") + 7;
  const auto entry = xml.substr(entry_start, entry_end - entry_start);
  std::string many;
  for (int i = 0; i < 2000; ++i) many += entry;
  xml.insert(entry_end, many + "<Ntry><Amt>1</Ntry>");
  const auto refused = parse_camt(xml);
  REQUIRE_FALSE(refused);
  CHECK_THAT(refused.error().message,
             Catch::Matches("line \\d+, column \\d+: not well-formed XML: mismatched tag"));
}

}  // namespace camt_encoding_test
