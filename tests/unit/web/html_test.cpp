// The console's markup (web/html.hpp): what a customer typed is text, whatever it holds.
#include <catch2/catch.hpp>

#include <string>

#include "web/html.hpp"

using namespace cobrador;

TEST_CASE("html() escapes every string and leaves its own markup alone", "[web]") {
  const std::string name = "<script>alert(1)</script>";
  const std::string invoice = R"(INV-"7"&'8')";
  const auto cell = web::html(R"(<td title="{}">{}</td>)", invoice, name);
  CHECK(cell.markup ==
        "<td title=\"INV-&quot;7&quot;&amp;&#39;8&#39;\">&lt;script&gt;alert(1)&lt;/script&gt;</td>");
  // Markup this program wrote goes in as it is; numbers as numbers.
  const auto row = web::html("<tr>{}<td>{}</td><td>{:.1f}</td></tr>", cell, 42, 1.25);
  CHECK(row.markup == "<tr>" + cell.markup + "<td>42</td><td>1.2</td></tr>");
  // A string literal argument is text as well, not markup.
  CHECK(web::html("<p>{}</p>", "<b>").markup == "<p>&lt;b&gt;</p>");
}

TEST_CASE("escape() keeps bytes it need not change, invalid UTF-8 included", "[web]") {
  CHECK(web::escape("Conceição & filhos") == "Conceição &amp; filhos");
  CHECK(web::escape(std::string("\xff\x00x", 3)) == std::string("\xff\x00x", 3));
  CHECK(web::escape("") == "");
}
