#include <catch2/catch.hpp>

#include "notify/smtp.hpp"
#include "notify/smtp_reply.hpp"

using namespace cobrador;
using namespace cobrador::notify;

namespace {

SmtpConfig config() {
  SmtpConfig c;
  c.smtp_url = "smtp://mail.example.com:587";
  c.starttls = StartTls::required;
  c.user = "billing";
  c.password = "s3cret-Pa55";
  c.from = "Billing <billing@example.com>";
  return c;
}

std::string refusal(const SmtpConfig& c, std::string_view recipient = "ana@example.com") {
  const auto transfer = make_smtp_transfer(c, recipient, "Subject: x\r\n\r\nbody\r\n");
  REQUIRE_FALSE(transfer);
  return transfer.error().message;
}

}  // namespace

// The server's reply to the message (not to QUIT) is what the audit trail keeps.
TEST_CASE("the reply log keeps the last reply before QUIT", "[notify]") {
  SmtpReplyLog log;
  log.reply_received("220 mx.example.com ESMTP\r\n");
  CHECK(log.code() == 220);
  CHECK(log.command().empty());
  log.command_sent("EHLO client\r\n");
  log.reply_received("250-mx.example.com\r\n250-PIPELINING\r\n");
  CHECK(log.code() == 220);  // a multi-line reply is not over until its last line
  log.reply_received("250 SIZE 10240000\r\n");
  CHECK(log.reply() == "250 SIZE 10240000");
  log.command_sent("DATA\r\n");
  log.reply_received("354 End data with <CR><LF>.<CR><LF>\r\n");
  log.reply_received("250 2.0.0 Ok: qu");  // a line may arrive in pieces
  log.reply_received("eued as 4F2A1\r\n");
  log.command_sent("QUIT\r\n");
  log.reply_received("221 2.0.0 Bye\r\n");
  CHECK(log.code() == 250);
  CHECK(log.reply() == "250 2.0.0 Ok: queued as 4F2A1");
  CHECK(log.command() == "DATA");
}

// What follows AUTH is a credential: only the verb AUTH is ever kept.
TEST_CASE("the reply log never keeps AUTH arguments", "[notify]") {
  SmtpReplyLog log;
  log.command_sent("AUTH LOGIN\r\n");
  log.reply_received("334 VXNlcm5hbWU6\r\n");
  log.command_sent("czNjcmV0LVBhNTU=\r\n");  // base64 of the password
  log.reply_received("535 5.7.8 Authentication credentials invalid\r\n");
  CHECK(log.command() == "AUTH");
  CHECK(log.code() == 535);
}

// starttls accepts the three documented words and nothing else.
TEST_CASE("starttls parses required, opportunistic and none", "[notify]") {
  CHECK(*parse_starttls("required") == StartTls::required);
  CHECK(*parse_starttls("opportunistic") == StartTls::opportunistic);
  CHECK(*parse_starttls("none") == StartTls::none);
  CHECK(parse_starttls("yes").error().message ==
        "starttls: 'yes' is not one of required, opportunistic, none");
}

// A usable configuration gives a ready curl handle without touching the network.
TEST_CASE("a valid SMTP configuration makes a transfer handle", "[notify]") {
  const auto transfer = make_smtp_transfer(config(), "ana@example.com", "Subject: x\r\n\r\nbody\r\n");
  REQUIRE(transfer);
  CHECK((*transfer)->handle() != nullptr);
  SmtpConfig implicit_tls = config();
  implicit_tls.smtp_url = "smtps://mail.example.com:465";
  implicit_tls.starttls = StartTls::none;
  CHECK(make_smtp_transfer(implicit_tls, "ana@example.com", "x"));
}

// Configurations that would leak the password or talk another protocol are refused up front.
TEST_CASE("unsafe or unusable SMTP configurations are refused without the secret", "[notify]") {
  SmtpConfig c = config();
  c.smtp_url = "http://mail.example.com/";
  CHECK(refusal(c) == "smtp_url: scheme 'http' is not smtp or smtps");
  c.smtp_url = "smtp://billing:s3cret-Pa55@mail.example.com:587";
  CHECK(refusal(c) == "smtp_url: holds a user name; use `user:` and `password_file:` instead");
  c = config();
  c.starttls = StartTls::opportunistic;
  CHECK(refusal(c) == "smtp: a password is only sent over TLS; set starttls: required or use smtps://");
  c.starttls = StartTls::none;
  CHECK(refusal(c).find("s3cret") == std::string::npos);
  c = config();
  c.password.clear();
  CHECK(refusal(c) == "smtp: user and password go together (one of them is empty)");
  c = config();
  c.from = "Billing <billing>";
  CHECK(refusal(c) == "from: 'billing' is not an e-mail address");
  CHECK(refusal(config(), "ana@example.com>\r\nRCPT TO:<x@y.z") ==
        "recipient: an e-mail address holds a control character (line break?)");
}
