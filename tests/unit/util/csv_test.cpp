#include <catch2/catch.hpp>

#include "util/csv.hpp"

using namespace cobrador;

// Quoted fields keep their commas, quotes and line breaks; rows remember their line.
TEST_CASE("csv reads quoted fields and remembers the line of each row") {
  const auto rows = csv::parse("id,name\r\n1,\"Silva, Ana\"\r\n\r\n2,\"say \"\"hi\"\"\nthere\"\n3,\n");
  REQUIRE(rows);
  REQUIRE(rows->size() == 4);
  CHECK(rows->at(1).fields == std::vector<std::string>{"1", "Silva, Ana"});
  CHECK(rows->at(1).line == 2);
  CHECK(rows->at(2).fields == std::vector<std::string>{"2", "say \"hi\"\nthere"});
  CHECK(rows->at(2).line == 4);
  CHECK(rows->at(3).fields == std::vector<std::string>{"3", ""});
  CHECK(rows->at(3).line == 6);
}

// Broken quoting is an error that names the line.
TEST_CASE("csv refuses broken quoting with the line") {
  CHECK(csv::parse("a,b\n1,\"open\n").error().message == "line 2: a quoted field is not closed");
  CHECK(csv::parse("a,b\n1,\"x\"y\n").error().message == "line 2: unexpected 'y' after a closing quote");
}
