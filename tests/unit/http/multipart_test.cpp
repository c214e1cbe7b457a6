// multipart/form-data as browsers post it (http/multipart.hpp): the customer's page's receipt.
#include <catch2/catch.hpp>

#include "http/multipart.hpp"

namespace multipart_test {

using namespace cobrador;
using namespace cobrador::http;

// What Chromium sends for a form with a text field and a file.
const std::string kBody =
    "------WebKitFormBoundaryX3\r\n"
    "Content-Disposition: form-data; name=\"reference\"\r\n\r\n"
    "TED 123\r\n"
    "------WebKitFormBoundaryX3\r\n"
    "Content-Disposition: form-data; name=\"proof\"; filename=\"recibo.pdf\"\r\n"
    "Content-Type: application/pdf\r\n\r\n"
    "%PDF-1.4\r\n--not a boundary\r\n%%EOF\r\n"
    "------WebKitFormBoundaryX3--\r\n";

// The boundary comes from the Content-Type, quoted or not.
TEST_CASE("the boundary is read from the Content-Type", "[http][multipart]") {
  CHECK(*multipart_boundary("multipart/form-data; boundary=----WebKitFormBoundaryX3") ==
        "----WebKitFormBoundaryX3");
  CHECK(*multipart_boundary("Multipart/Form-Data;boundary=\"a b\"") == "a b");
  CHECK(multipart_boundary("application/x-www-form-urlencoded").error().message ==
        "Content-Type: not multipart/form-data");
  CHECK(multipart_boundary("multipart/form-data").error().message == "Content-Type: no boundary");
  CHECK(!multipart_boundary("multipart/form-data; boundary=" + std::string(71, 'a')));
  CHECK(!multipart_boundary("multipart/form-data; boundary=\"a\r\nb\""));
}

// Each part keeps its name, file name, type and bytes, CRLFs inside a file included.
TEST_CASE("a browser's form with a file is read part by part", "[http][multipart]") {
  const auto parts = parse_multipart(kBody, "----WebKitFormBoundaryX3");
  REQUIRE(parts);
  REQUIRE(parts->size() == 2);
  CHECK((*parts)[0].name == "reference");
  CHECK((*parts)[0].body == "TED 123");
  CHECK_FALSE((*parts)[0].filename);
  const auto* proof = find_part(*parts, "proof");
  REQUIRE(proof);
  CHECK(proof->filename == "recibo.pdf");
  CHECK(proof->content_type == "application/pdf");
  CHECK(proof->body == "%PDF-1.4\r\n--not a boundary\r\n%%EOF");
  CHECK(find_part(*parts, "nothing") == nullptr);
}

// Broken bodies are refused with where; none throws.
TEST_CASE("a broken multipart body is refused with where", "[http][multipart]") {
  const std::string b = "B";
  CHECK(parse_multipart("garbage", b).error().message ==
        "multipart: the body does not start with its boundary");
  CHECK(parse_multipart("--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx", b).error().message ==
        "multipart: part 1: no closing boundary");
  CHECK(parse_multipart("--B\r\nContent-Type: text/plain\r\n\r\nx\r\n--B--", b).error().message ==
        "part 1: no Content-Disposition with a name");
  CHECK(parse_multipart("--B\r\nContent-Disposition: attachment; name=a\r\n\r\nx\r\n--B--", b)
            .error()
            .message == "part 1: Content-Disposition is not form-data");
  CHECK(parse_multipart("--Bxx", b).error().message ==
        "multipart: byte 3: a boundary not followed by CRLF or --");
  std::string many = "--B";
  for (int i = 0; i < 17; ++i) many += "\r\nContent-Disposition: form-data; name=a\r\n\r\nx\r\n--B";
  many += "--";
  CHECK(parse_multipart(many, b).error().message == "multipart: more than 16 parts");
  CHECK(parse_multipart("--B\r\n" + std::string(5000, 'h') + "\r\n\r\nx\r\n--B--", b).error().message ==
        "multipart: part 1: its headers do not end within 2048 bytes");
  CHECK(parse_multipart("--B--", b)->empty());
}

}  // namespace multipart_test
