// The import file read a piece at a time (issue 20): whatever the pieces, the rows, their
// fields and their line numbers are those of the whole file read at once, and a problem in a
// later piece names its line in the file.
#include <catch2/catch.hpp>

#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "service/entity_fields.hpp"
#include "service/import_rows.hpp"
#include "util/csv.hpp"

using namespace cobrador;

namespace import_row_reader_test {

const auto kCustomers = service::columns_of(service::ImportKind::customers);

// Every row of `text`, read in pieces of `most` rows; or the reader's error.
Result<std::vector<service::ImportRow>> read_in_pieces(const std::string& text, std::size_t most,
                                                       TextEncoding encoding = TextEncoding::utf8) {
  std::istringstream in(text);
  service::ImportRowReader reader(in, "customers.csv", kCustomers, encoding);
  std::vector<service::ImportRow> all;
  for (;;) {
    auto rows = reader.next(most);
    if (!rows) return rows.error();
    if (rows->empty()) return all;
    CHECK(rows->size() <= most + 1);
    all.insert(all.end(), rows->begin(), rows->end());
  }
}

std::vector<std::string> described(const std::vector<service::ImportRow>& rows) {
  std::vector<std::string> out;
  for (const auto& row : rows)
    out.push_back(fmt::format("{} {}:{}", row.line, row.fields.at("id"), row.fields.at("name")));
  return out;
}

TEST_CASE("an import file read in pieces of any size gives the rows of the whole file", "[service]") {
  // A byte order mark, CRLF, blank lines, quoted commas and line breaks, doubled quotes.
  const std::string text =
      "\xEF\xBB\xBFid,name,email\r\n"
      "c1,Ana,ana@example.com\r\n"
      "\r\n"
      "c2,\"Silva, Bruno\",b@example.com\n"
      "c3,\"two\nlines\",c@example.com\n"
      "\n\n"
      "c4,\"say \"\"hi\"\"\",d@example.com\n"
      "c5,Eva,e@example.com";
  const std::vector<std::string> expected{"2 c1:Ana", "4 c2:Silva, Bruno", "5 c3:two\nlines",
                                          "9 c4:say \"hi\"", "10 c5:Eva"};
  for (const std::size_t most : {1, 2, 3, 4096}) {
    INFO("pieces of " << most);
    const auto rows = read_in_pieces(text, most);
    REQUIRE(rows);
    CHECK(described(*rows) == expected);
  }
}

TEST_CASE("rows that straddle the reader's reads keep their lines", "[service]") {
  // About 3 MiB: quoted names of 10,000 characters with line breaks, so that reads of 1 MiB end
  // inside a quoted field, inside a CRLF and inside a row.
  std::string text = "id,name\r\n";
  std::vector<std::string> expected;
  std::size_t line = 2;
  for (int i = 1; i <= 300; ++i) {
    std::string name(10'000 - static_cast<std::size_t>(i), 'x');
    name[name.size() / 2] = '\n';
    text += fmt::format("c{},\"{}\"\r\n", i, name);
    expected.push_back(fmt::format("{} c{}:{}", line, i, name));
    line += 2;
  }
  for (const std::size_t most : {1, 7, 4096}) {
    INFO("pieces of " << most);
    const auto rows = read_in_pieces(text, most);
    REQUIRE(rows);
    CHECK(described(*rows) == expected);
  }
}

TEST_CASE("JSON lines read in pieces keep their lines", "[service]") {
  const std::string text =
      "\n{\"id\": \"c1\", \"name\": \"Ana\"}\n\n{\"id\": \"c2\", \"name\": \"Bia\"}\r\n{\"id\": \"c3\", "
      "\"name\": "
      "\"Cid\"}";
  for (const std::size_t most : {1, 2, 4096}) {
    const auto rows = read_in_pieces(text, most);
    REQUIRE(rows);
    CHECK(described(*rows) == std::vector<std::string>{"2 c1:Ana", "4 c2:Bia", "5 c3:Cid"});
  }
}

TEST_CASE("a problem in a later piece names its line in the file", "[service]") {
  std::string text = "id,name\n";
  for (int i = 1; i <= 50; ++i) text += fmt::format("c{0},Name {0}\n", i);
  SECTION("a row with too many fields") {
    const auto rows = read_in_pieces(text + "c51,Name,extra\n", 4);
    REQUIRE_FALSE(rows);
    CHECK(rows.error().message == "customers.csv:52: 3 fields where the header has 2");
  }
  SECTION("a quoted field left open at the end") {
    const auto rows = read_in_pieces(text + "c51,\"Name\nc52,x\n", 4);
    REQUIRE_FALSE(rows);
    CHECK(rows.error().message == "customers.csv: line 52: a quoted field is not closed");
  }
  SECTION("a byte that is not UTF-8") {
    const auto rows = read_in_pieces(text + "c51,Jo\xE3o\n", 4);
    REQUIRE_FALSE(rows);
    CHECK(rows.error().message ==
          "customers.csv:52: name: not valid UTF-8 (a file in ISO-8859-1 or Windows-1252 needs --encoding "
          "latin1)");
  }
  SECTION("the same byte in a file read as Latin-1") {
    const auto rows = read_in_pieces(text + "c51,Jo\xE3o\n", 4, TextEncoding::windows1252);
    REQUIRE(rows);
    CHECK(rows->back().fields.at("name") == "Jo\xC3\xA3o");
  }
}

TEST_CASE("an empty file or one of blank lines says that the header is missing", "[service]") {
  for (const std::string text : {"", "\n\n\r\n", "\xEF\xBB\xBF"}) {
    const auto rows = read_in_pieces(text, 1);
    REQUIRE_FALSE(rows);
    CHECK(rows.error().message == "customers.csv: the file is empty; a header row is expected");
  }
  const auto header_only = read_in_pieces("\n\nid,name\n", 1);
  REQUIRE(header_only);
  CHECK(header_only->empty());
}

TEST_CASE("row_ends cuts where parse ends a row", "[util]") {
  const std::string text = "a,\"b\nc\"\r\nd\re,f\n\"g\"\"\n\"\r";
  const auto one = csv::row_ends(text, 1);
  REQUIRE(one);
  CHECK(one->offset == text.find("d\r"));
  CHECK(one->lines == 2);
  const auto two = csv::row_ends(text, 2);
  REQUIRE(two);
  CHECK(two->offset == text.find("e,f"));
  CHECK(two->lines == 3);
  // The last row ends in a CR that may be half a CRLF: not yet a row end.
  const auto all = csv::row_ends(text, 10);
  REQUIRE(all);
  CHECK(all->rows == 3);
  CHECK(all->offset == text.find("\"g"));
  CHECK_FALSE(csv::row_ends("a,\"open\nstill open", 5));
}

}  // namespace import_row_reader_test
