// Windows-1252 (read for "latin1" too) to UTF-8 and back, and the checks every single-line
// value goes through where it enters (issue 19, points 2 and 3).
#include <catch2/catch.hpp>

#include "util/text_encoding.hpp"
#include "util/utf8.hpp"

using namespace cobrador;

namespace text_encoding_test {

TEST_CASE("encoding names: utf-8 and the Latin-1 family, ASCII case ignored", "[util]") {
  CHECK(encoding_named("UTF-8") == TextEncoding::utf8);
  CHECK(encoding_named("utf8") == TextEncoding::utf8);
  for (const auto name : {"latin1", "ISO-8859-1", "iso8859-1", "Windows-1252", "cp1252", "LATIN-1"})
    CHECK(encoding_named(name) == TextEncoding::windows1252);
  CHECK_FALSE(encoding_named("ebcdic"));
  CHECK_FALSE(encoding_named(""));
}

TEST_CASE("Windows-1252 becomes UTF-8, 0x80-0x9F as WHATWG maps them", "[util]") {
  CHECK(windows1252_to_utf8("Jo\xE3o \xC1vila") == "Jo\xC3\xA3o \xC3\x81vila");
  CHECK(windows1252_to_utf8("\x80 \x96 \x93x\x94") == "\xE2\x82\xAC \xE2\x80\x93 \xE2\x80\x9Cx\xE2\x80\x9D");
  CHECK(windows1252_to_utf8("\x81") == "\xC2\x81");  // undefined in Windows-1252: the C1 control
  // Every byte gives valid UTF-8.
  std::string all;
  for (int b = 0; b < 256; ++b) all += static_cast<char>(b);
  CHECK_FALSE(utf8::first_invalid(windows1252_to_utf8(all)));
  std::size_t failed_at = 0;
  CHECK(utf8_to_windows1252(windows1252_to_utf8(all), failed_at) == all);
}

TEST_CASE("UTF-8 to one byte per character, or the offset of what does not fit", "[util]") {
  std::size_t failed_at = 0;
  CHECK(utf8_to_windows1252("S\xC3\x83O \xE2\x82\xAC", failed_at) == "S\xC3O \x80");
  CHECK_FALSE(utf8_to_windows1252("ab\xE2\x9C\x93", failed_at));  // a check mark
  CHECK(failed_at == 2);
  CHECK_FALSE(utf8_to_windows1252("a\xFF", failed_at));  // not UTF-8 at all
  CHECK(failed_at == 1);
}

TEST_CASE("a single-line value: UTF-8 without control characters", "[util]") {
  CHECK_FALSE(utf8::line_problem("Jo\xC3\xA3o \xC3\x81vila <a@b>"));
  CHECK(utf8::line_problem("Jo\xE3o") == "not valid UTF-8");
  CHECK(utf8::line_problem("Ana\r\nBcc: x") == "contains a control character (U+000D)");
  CHECK(utf8::line_problem(std::string("a\0b", 3)) == "contains a control character (U+0000)");
  CHECK(utf8::line_problem("a\tb") == "contains a control character (U+0009)");
  CHECK(utf8::line_problem("a\x7F") == "contains a control character (U+007F)");
  CHECK(utf8::line_problem("a\xC2\x85") == "contains a control character (U+0085)");  // NEL
  CHECK(utf8::line_problem("\xED\xA0\x80") == "not valid UTF-8");                     // a surrogate
}

TEST_CASE("repaired: each invalid byte becomes U+FFFD, valid text stays", "[util]") {
  CHECK(utf8::repaired("ok \xC3\xA3") == "ok \xC3\xA3");
  CHECK(utf8::repaired("Jo\xE3o") == "Jo\xEF\xBF\xBDo");
  CHECK(utf8::repaired("\xC3") == "\xEF\xBF\xBD");  // cut short at the end
  CHECK(utf8::code_point_at("\xE2\x82\xAC", 0) == char32_t{0x20AC});
  CHECK_FALSE(utf8::code_point_at("\xE2\x82", 0));
}

}  // namespace text_encoding_test
