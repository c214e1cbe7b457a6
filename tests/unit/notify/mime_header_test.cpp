#include <catch2/catch.hpp>

#include <openssl/evp.h>

#include <sstream>
#include <string>
#include <vector>

#include "notify/mime_header.hpp"
#include "util/utf8.hpp"

using namespace cobrador::notify;

namespace {

// Base64 decoding by OpenSSL, independent of the encoder under test; EVP_DecodeBlock counts
// padding as zero bytes, so they are dropped here.
std::string base64_decode(const std::string& text) {
  std::string out(text.size() / 4 * 3 + 3, '\0');
  const int n =
      EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                      reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  REQUIRE(n >= 0);
  std::size_t padding = 0;
  for (auto it = text.rbegin(); it != text.rend() && *it == '='; ++it) ++padding;
  out.resize(static_cast<std::size_t>(n) - padding);
  return out;
}

std::vector<std::string> lines_of(const std::string& header) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < header.size()) {
    const auto end = header.find("\r\n", start);
    REQUIRE(end != std::string::npos);
    lines.push_back(header.substr(start, end - start));
    start = end + 2;
  }
  return lines;
}

// An RFC 2047 decoder for what a mail client does with "Subject:": unfold, then decode each
// encoded-word, dropping the blanks between adjacent encoded-words (RFC 2047 §6.2).
std::string decode_header_value(const std::string& folded) {
  std::string unfolded;
  for (const auto& line : lines_of(folded)) unfolded += line;
  std::string value = unfolded.substr(unfolded.find(':') + 1);
  std::istringstream words(value);
  std::string word;
  std::string out;
  bool previous_encoded = false;
  while (words >> word) {
    const bool encoded =
        word.rfind("=?UTF-8?B?", 0) == 0 && word.size() > 12 && word.compare(word.size() - 2, 2, "?=") == 0;
    if (!out.empty() && !(encoded && previous_encoded)) out += ' ';
    out += encoded ? base64_decode(word.substr(10, word.size() - 12)) : word;
    previous_encoded = encoded;
  }
  return out;
}

void check_shape(const std::string& folded) {
  for (const auto& line : lines_of(folded)) {
    CHECK(line.size() <= max_header_line);
    std::istringstream words(line);
    std::string word;
    while (words >> word) {
      if (word.rfind("=?", 0) != 0) continue;
      CHECK(word.size() <= max_encoded_word);
      // Each word decodes to whole characters: no character was split across two words.
      CHECK_FALSE(utf8::first_invalid(base64_decode(word.substr(10, word.size() - 12))));
    }
  }
}

std::string subject_header(const std::string& subject) {
  return fold_header("Subject", unstructured_tokens("Subject", subject));
}

}  // namespace

// pt-BR and es subjects come back intact through a decoder, in words of at most 75 characters.
TEST_CASE("non-ASCII subjects round-trip through RFC 2047 encoded-words", "[notify]") {
  const std::vector<std::string> subjects{
      "Ação necessária: seus serviços serão suspensos em 08/03/2026",
      "Acción necesaria: sus servicios se suspenderán el 08/03/2026",
      "Última chance de salvar seus dados antes de 15/04/2026 — não perca 🙏",
      std::string(40, 'a') + "ç" + std::string(200, 'x') + "ñ",
  };
  for (const auto& subject : subjects) {
    const std::string header = subject_header(subject);
    INFO(header);
    CHECK(header.rfind("Subject: =?UTF-8?B?", 0) == 0);
    check_shape(header);
    CHECK(decode_header_value(header) == subject);
  }
}

// A long subject of many multi-byte characters needs several words, each under the limits.
TEST_CASE("a long non-ASCII subject is split into several encoded-words", "[notify]") {
  std::string subject;
  for (int i = 0; i < 60; ++i) subject += "ção ";
  subject += "fim";
  const std::string header = subject_header(subject);
  CHECK(lines_of(header).size() > 3);
  check_shape(header);
  CHECK(decode_header_value(header) == subject);
}

// ASCII subjects stay readable: no encoding, folded at blanks when long.
TEST_CASE("an ASCII subject is left plain and folded at blanks", "[notify]") {
  CHECK(subject_header("Payment reminder: 49.90 BRL due on 8 March 2026") ==
        "Subject: Payment reminder: 49.90 BRL due on 8 March 2026\r\n");
  std::string long_subject;
  for (int i = 0; i < 20; ++i) long_subject += "payment ";
  long_subject += "due";
  const std::string header = subject_header(long_subject);
  CHECK(header.find("=?") == std::string::npos);
  CHECK(lines_of(header).size() == 3);
  check_shape(header);
  CHECK(decode_header_value(header) == long_subject);
}

// ASCII text that a decoder would misread ("=?") or that cannot fold is encoded instead.
TEST_CASE("ASCII that would not survive as plain words is encoded", "[notify]") {
  for (const std::string& subject :
       std::vector<std::string>{"Is =?UTF-8?B?x?= a word?", "two  blanks", std::string(90, 'z')}) {
    const std::string header = subject_header(subject);
    CHECK(header.rfind("Subject: =?UTF-8?B?", 0) == 0);
    check_shape(header);
    CHECK(decode_header_value(header) == subject);
  }
}

// Display names: atoms stay, specials are quoted, non-ASCII is encoded.
TEST_CASE("display names are written as atoms, quoted strings or encoded-words", "[notify]") {
  CHECK(fold_header("From", mailbox_tokens("From", {"Billing Team", "billing@example.com"})) ==
        "From: Billing Team <billing@example.com>\r\n");
  CHECK(fold_header("To", mailbox_tokens("To", {"Silva, Ana \"Nina\"", "ana@example.com"})) ==
        "To: \"Silva, Ana \\\"Nina\\\"\" <ana@example.com>\r\n");
  CHECK(fold_header("To", mailbox_tokens("To", {"", "ana@example.com"})) == "To: <ana@example.com>\r\n");
  const std::string encoded = fold_header("To", mailbox_tokens("To", {"João Conceição", "joao@example.com"}));
  CHECK(encoded == "To: =?UTF-8?B?Sm/Do28gQ29uY2Vpw6fDo28=?= <joao@example.com>\r\n");
}

// CR, LF and NUL are refused by name of the header, without echoing the value.
TEST_CASE("a header value with a line break is refused", "[notify]") {
  CHECK(check_header_value("Subject", "Hi"));
  for (const std::string& bad :
       std::vector<std::string>{"Hi\r\nBcc: x@evil.example", "Hi\nBcc: x", "Hi\rX", std::string("a\0b", 3)}) {
    const auto checked = check_header_value("Subject", bad);
    REQUIRE_FALSE(checked);
    CHECK(checked.error().message == "Subject: a header value may not hold a line break or NUL");
  }
}
