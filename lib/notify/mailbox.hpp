// A mailbox as e-mail headers and SMTP envelopes need it: an optional display name and an
// address. cobrador does not use SMTPUTF8, so addresses must be ASCII; display names may be
// anything printable (they are RFC 2047-encoded on the way out).
#pragma once

#include <string>
#include <string_view>

#include "util/result.hpp"

namespace cobrador::notify {

struct Mailbox {
  std::string display_name;  // "Billing", may be empty
  std::string address;       // "billing@example.com"
};

// A person's name as a display name: one line of UTF-8. Names are checked where they enter,
// but one stored before that (a CR/LF from an old import) must not stop every notice to its
// customer: control characters become spaces and bytes that are not UTF-8 become U+FFFD.
std::string display_name_from(std::string_view name);

// "Billing <billing@example.com>", "\"Smith, Ann\" <ann@example.com>" or a bare address.
Result<Mailbox> parse_mailbox(std::string_view text);

// An address SMTP can carry: local@domain, dot-atom local part of at most 64 characters, a
// domain of letters, digits, '-' and dots, at most 254 characters in all. No quoted local parts,
// no address literals, no blanks or line breaks.
Status check_address(std::string_view address);

// The domain of a checked address, lowercased ("Example.COM" → "example.com").
std::string address_domain(std::string_view address);

}  // namespace cobrador::notify
