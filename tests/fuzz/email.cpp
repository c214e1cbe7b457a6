// Fuzzes the notice e-mail: mailboxes as cobrador.yaml and the customer's record give them
// (parse_mailbox, check_address), the message built from them (build_email), and the SMTP
// server's replies as libcurl reports them (SmtpReplyLog). A message that builds must be one an
// SMTP server takes: CRLF line ends only, no line over RFC 5322's 998 characters.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "notify/email_message.hpp"
#include "notify/mailbox.hpp"
#include "notify/smtp_reply.hpp"

namespace {

using namespace cobrador;

void check_wire_form(std::string_view message) {
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < message.size(); ++i) {
    if (message[i] == '\r') {
      fuzz::require(i + 1 < message.size() && message[i + 1] == '\n', "a CR without LF in a built e-mail");
    } else if (message[i] == '\n') {
      fuzz::require(i > 0 && message[i - 1] == '\r', "a bare LF in a built e-mail");
      fuzz::require(i - 1 - line_start <= 998, "a line over 998 characters in a built e-mail");
      line_start = i + 1;
    }
  }
}

void email(fuzz::Input& input) {
  auto from = notify::parse_mailbox(input.line());
  auto to = notify::parse_mailbox(input.line());
  if (from) (void)notify::address_domain(from->address);
  notify::EmailMessage message;
  message.from = from ? *from : notify::Mailbox{"Billing", "billing@example.com"};
  message.to = to ? *to : notify::Mailbox{"", "ann@example.com"};
  message.subject = input.line();
  message.language = input.line();
  message.idempotency_key = input.line();
  message.date = std::chrono::sys_seconds{std::chrono::seconds{1772971500}};
  message.text = input.rest();
  auto built = notify::build_email(message);
  if (built) check_wire_form(*built);
}

void smtp_replies(fuzz::Input& input) {
  notify::SmtpReplyLog log;
  while (!input.empty()) {
    // A command is one line; what the server sends comes in chunks of any length, which may
    // hold several lines or part of one.
    const auto selector = input.byte();
    if (selector & 1)
      log.command_sent(input.line());
    else
      log.reply_received(input.take(selector >> 1));
  }
  (void)log.code();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::Input input(data, size);
  if (input.byte() & 1)
    smtp_replies(input);
  else
    email(input);
  return 0;
}
