#include <catch2/catch.hpp>

#include <openssl/evp.h>

#include <regex>
#include <string>

#include "notify/email_message.hpp"

using namespace cobrador;
using namespace cobrador::notify;

namespace {

Instant at(int y, unsigned m, unsigned d, int hh, int mm, int ss) {
  return date::sys_days{date::year{y} / m / d} + std::chrono::hours{hh} + std::chrono::minutes{mm} +
         std::chrono::seconds{ss};
}

EmailMessage sample() {
  EmailMessage m;
  m.from = {"Cobrança", "billing@Example.com"};
  m.to = {"Ana Silva", "ana@example.com.br"};
  m.subject = "Lembrete de pagamento: 49.90 BRL com vencimento em 08/03/2026";
  m.text = "Olá, Ana,\n\nAinda não identificamos o pagamento.\n";
  m.date = at(2026, 3, 11, 9, 5, 7);
  m.idempotency_key = "cust-42:1:reminder:notify:email";
  m.language = "pt-BR";
  return m;
}

std::string headers_of(const std::string& message) { return message.substr(0, message.find("\r\n\r\n") + 2); }

std::string body_of(const std::string& message) { return message.substr(message.find("\r\n\r\n") + 4); }

std::string base64_decode_lines(const std::string& encoded) {
  std::string joined;
  for (const char c : encoded) {
    if (c != '\r' && c != '\n') joined += c;
  }
  std::string out(joined.size() / 4 * 3, '\0');
  const int n =
      EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                      reinterpret_cast<const unsigned char*>(joined.data()), static_cast<int>(joined.size()));
  REQUIRE(n >= 0);
  std::size_t padding = 0;
  for (auto it = joined.rbegin(); it != joined.rend() && *it == '='; ++it) ++padding;
  out.resize(static_cast<std::size_t>(n) - padding);
  return out;
}

}  // namespace

// The Date header is RFC 5322 in UTC, from the instant given (no clock is read).
TEST_CASE("the Date header is formatted from the given instant", "[notify]") {
  CHECK(format_email_date(at(2026, 3, 8, 14, 5, 0)) == "Sun, 08 Mar 2026 14:05:00 +0000");
  CHECK(format_email_date(at(2026, 11, 1, 0, 0, 9)) == "Sun, 01 Nov 2026 00:00:09 +0000");
}

// The same idempotency key always gives the same Message-ID; another key gives another.
TEST_CASE("the Message-ID is derived from the idempotency key", "[notify]") {
  const std::string id = make_message_id("cust-42:1:reminder:notify:email", "billing@Example.com");
  CHECK(std::regex_match(id, std::regex("<[0-9a-f]{32}@cobrador\\.example\\.com>")));
  CHECK(id == make_message_id("cust-42:1:reminder:notify:email", "billing@example.com"));
  CHECK(id != make_message_id("cust-42:1:warning:notify:email", "billing@example.com"));
  // SHA-256("abc") starts with ba7816bf8f01cfea414140de5dae2223.
  CHECK(make_message_id("abc", "a@b.org") == "<ba7816bf8f01cfea414140de5dae2223@cobrador.b.org>");
}

// Building twice gives the same bytes: a retry re-sends the very same message.
TEST_CASE("building a message is deterministic", "[notify]") {
  const auto first = build_email(sample());
  const auto second = build_email(sample());
  REQUIRE(first);
  REQUIRE(second);
  CHECK(*first == *second);
  CHECK(first->find("Message-ID: " + make_message_id(sample().idempotency_key, "billing@example.com") +
                    "\r\n") != std::string::npos);
}

// The headers a mail client needs are all there, CRLF-terminated and at most 78 characters.
TEST_CASE("the message has its MIME headers, CRLF line ends and short header lines", "[notify]") {
  const auto built = build_email(sample());
  REQUIRE(built);
  const std::string headers = headers_of(*built);
  CHECK(headers.rfind("Date: Wed, 11 Mar 2026 09:05:07 +0000\r\n", 0) == 0);
  CHECK(headers.find("\r\nFrom: =?UTF-8?B?Q29icmFuw6dh?= <billing@Example.com>\r\n") != std::string::npos);
  CHECK(headers.find("\r\nTo: Ana Silva <ana@example.com.br>\r\n") != std::string::npos);
  CHECK(headers.find("\r\nSubject: =?UTF-8?B?") == std::string::npos);  // ASCII stays plain
  CHECK(headers.find("\r\nMIME-Version: 1.0\r\n") != std::string::npos);
  CHECK(headers.find("\r\nContent-Type: text/plain; charset=UTF-8\r\n") != std::string::npos);
  CHECK(headers.find("\r\nContent-Transfer-Encoding: base64\r\n") != std::string::npos);
  CHECK(headers.find("\r\nContent-Language: pt-BR\r\n") != std::string::npos);
  CHECK(headers.find("\r\nAuto-Submitted: auto-generated\r\n") != std::string::npos);
  std::size_t start = 0;
  while (start < built->size()) {
    const auto end = built->find("\r\n", start);
    REQUIRE(end != std::string::npos);
    const std::string line = built->substr(start, end - start);
    CHECK(line.find('\n') == std::string::npos);
    CHECK(line.find('\r') == std::string::npos);
    CHECK(line.size() <= 78);
    start = end + 2;
  }
}

// The body is the text in base64 with CRLF line ends, whatever line ends it came with.
TEST_CASE("the body decodes back to the text with CRLF line ends", "[notify]") {
  EmailMessage m = sample();
  m.text = "Linha 1\nLinha 2\r\nLinha 3\rfim";
  const auto built = build_email(m);
  REQUIRE(built);
  CHECK(base64_decode_lines(body_of(*built)) == "Linha 1\r\nLinha 2\r\nLinha 3\r\nfim\r\n");
}

// A line break in any header value is refused: it would let a value add headers (Bcc: ...).
TEST_CASE("header injection through any header value is refused", "[notify]") {
  EmailMessage m = sample();
  m.subject = "Hi\r\nBcc: victim@example.org";
  CHECK(build_email(m).error().message == "Subject: a header value may not hold a line break or NUL");
  m = sample();
  m.to.display_name = "Ana\nBcc: victim@example.org";
  CHECK(build_email(m).error().message == "To: a header value may not hold a line break or NUL");
  m = sample();
  m.from.display_name = "Billing\r";
  CHECK(build_email(m).error().message == "From: a header value may not hold a line break or NUL");
  m = sample();
  m.to.address = "ana@example.com\r\nBcc: victim@example.org";
  CHECK(build_email(m).error().message == "To: an e-mail address holds a control character (line break?)");
  m = sample();
  m.language = "pt-BR\r\nX: y";
  CHECK_FALSE(build_email(m));
}

// Input that would produce a broken message is refused before anything is built.
TEST_CASE("bad addresses, bad UTF-8 and an empty key are refused", "[notify]") {
  EmailMessage m = sample();
  m.to.address = "ana at example.com";
  CHECK(build_email(m).error().message == "To: 'ana at example.com' is not an e-mail address");
  m = sample();
  m.text = "caf\xe9";
  CHECK(build_email(m).error().message == "body: not valid UTF-8");
  m = sample();
  m.idempotency_key.clear();
  CHECK(build_email(m).error().message == "Message-ID: the idempotency key is empty");
}

// The channel's "from" setting parses into a display name and an address.
TEST_CASE("a mailbox parses from the channel's from setting", "[notify]") {
  const auto plain = parse_mailbox("Billing <billing@example.com>");
  REQUIRE(plain);
  CHECK(plain->display_name == "Billing");
  CHECK(plain->address == "billing@example.com");
  const auto quoted = parse_mailbox("\"Silva, Ana\" <ana@example.com>");
  REQUIRE(quoted);
  CHECK(quoted->display_name == "Silva, Ana");
  const auto bare = parse_mailbox("  billing@example.com ");
  REQUIRE(bare);
  CHECK(bare->display_name.empty());
  CHECK(bare->address == "billing@example.com");
  CHECK_FALSE(parse_mailbox("Billing <billing@>"));
  CHECK_FALSE(parse_mailbox("Billing <bill..ing@example.com>"));
  CHECK_FALSE(parse_mailbox("Billing <joão@example.com>"));
}
