// A stored name becomes a display name on one line (issue 19, point 3): an e-mail to a customer
// whose name an older cobrador stored with a CR/LF or Latin-1 bytes is still built, with the
// name in its To: header and no header injected.
#include <catch2/catch.hpp>

#include "notify/email_message.hpp"
#include "notify/mailbox.hpp"

using namespace cobrador;
using namespace cobrador::notify;

namespace display_name_test {

TEST_CASE("display_name_from: control characters become spaces, bad bytes U+FFFD", "[notify]") {
  CHECK(display_name_from("Ana Maria") == "Ana Maria");
  CHECK(display_name_from("Ana\r\nBcc: x@y") == "Ana  Bcc: x@y");
  CHECK(display_name_from(std::string("A\0B", 3)) == "A B");
  CHECK(display_name_from("Jo\xE3o") == "Jo\xEF\xBF\xBDo");
  CHECK(display_name_from("Jo\xC3\xA3o\xC2\x85") == "Jo\xC3\xA3o ");
}

TEST_CASE("an e-mail to a stored CR/LF name is built with one To: header", "[notify]") {
  EmailMessage message{{"Billing", "billing@example.com"},
                       {display_name_from("Ana\r\nBcc: all@example.com"), "ana@example.com"},
                       "Lembrete",
                       "Sua fatura venceu.",
                       {},
                       "c1:1:remind:email:ana@example.com",
                       "pt-BR"};
  const auto built = build_email(message);
  INFO((built ? "" : built.error().message));
  REQUIRE(built);
  CHECK(built->find("\r\nBcc:") == std::string::npos);
  // The name on one line, as an encoded-word (it holds ':' and '@').
  CHECK(built->find("\r\nTo: =?UTF-8?B?QW5hICBCY2M6IGFsbEBleGFtcGxlLmNvbQ==?= <ana@example.com>\r\n") !=
        std::string::npos);
  // The raw name is what used to fail every notice.
  message.to.display_name = "Ana\r\nBcc: all@example.com";
  CHECK_FALSE(build_email(message));
}

}  // namespace display_name_test
