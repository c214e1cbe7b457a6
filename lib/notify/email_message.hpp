// Builds the notice e-mail as RFC 5322 text: headers folded at 78 characters, the subject and
// display names RFC 2047-encoded when not ASCII, a plain-text UTF-8 body in base64, CRLF line
// ends. Deterministic: the same input gives the same bytes (the Date is a parameter and the
// Message-ID comes from the action's idempotency key), so a retried send is the same message
// and mail clients fold the copies into one.
#pragma once

#include <string>
#include <string_view>

#include "domain/date.hpp"
#include "notify/mailbox.hpp"
#include "util/result.hpp"

namespace cobrador::notify {

struct EmailMessage {
  Mailbox from;                 // the channel's sender
  Mailbox to;                   // the customer
  std::string subject;          // UTF-8, one line
  std::string text;             // UTF-8 plain text; LF or CRLF line ends
  Instant date;                 // when the message is composed (the dispatcher's clock)
  std::string idempotency_key;  // the action's key: same key, same Message-ID
  std::string language;         // optional Content-Language, e.g. "pt-BR"
};

// The message, ready for SMTP DATA. Fails when a header value holds CR, LF or NUL, when an
// address is not one SMTP can carry, when text is not UTF-8 or the key is empty.
Result<std::string> build_email(const EmailMessage& message);

// "Sun, 08 Mar 2026 14:05:00 +0000" (RFC 5322 §3.3, in UTC).
std::string format_email_date(Instant at);

// "<first 32 hex digits of SHA-256(key)@cobrador.DOMAIN>", DOMAIN being the sender's domain.
// A label of our own keeps these apart from the ids the mail server makes up.
std::string make_message_id(std::string_view idempotency_key, std::string_view from_address);

}  // namespace cobrador::notify
