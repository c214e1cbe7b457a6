// Implements the RFC 5322 / MIME message for a notice.
#include "notify/email_message.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

#include <fmt/format.h>

#include "notify/encoding.hpp"
#include "notify/mime_header.hpp"
#include "util/utf8.hpp"

namespace cobrador::notify {

namespace {

// base64 body lines, as RFC 2045 §6.8 asks.
constexpr std::size_t body_line = 76;

// Text with CRLF line ends and a final line end; lone CRs become line ends too, because SMTP
// servers reject bare CR or LF.
std::string canonical_text(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 32 + 2);
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' || text[i] == '\n') {
      out += "\r\n";
      if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else {
      out += text[i];
    }
  }
  if (out.size() < 2 || out.compare(out.size() - 2, 2, "\r\n") != 0) out += "\r\n";
  return out;
}

std::string base64_body(std::string_view text) {
  const std::string encoded = base64_encode(canonical_text(text));
  std::string out;
  for (std::size_t pos = 0; pos < encoded.size(); pos += body_line) {
    out += encoded.substr(pos, body_line);
    out += "\r\n";
  }
  return out;
}

bool is_language_tag(std::string_view tag) {
  return !tag.empty() && std::all_of(tag.begin(), tag.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-';
  });
}

// Every check on the input, in the order a reader of the error would fix them.
Status check(const EmailMessage& m) {
  const std::vector<std::pair<std::string_view, std::string_view>> values{{"From", m.from.display_name},
                                                                          {"To", m.to.display_name},
                                                                          {"Subject", m.subject},
                                                                          {"Content-Language", m.language}};
  for (const auto& [header, value] : values) {
    if (auto ok = check_header_value(header, value); !ok) return ok;
    if (utf8::first_invalid(value)) return make_error(fmt::format("{}: not valid UTF-8", header));
  }
  if (auto ok = check_address(m.from.address); !ok) return make_error("From: " + ok.error().message);
  if (auto ok = check_address(m.to.address); !ok) return make_error("To: " + ok.error().message);
  if (!m.language.empty() && !is_language_tag(m.language)) {
    return make_error("Content-Language: not a language tag");
  }
  if (utf8::first_invalid(m.text)) return make_error("body: not valid UTF-8");
  if (m.idempotency_key.empty()) return make_error("Message-ID: the idempotency key is empty");
  return Ok{};
}

}  // namespace

std::string format_email_date(Instant at) { return date::format("%a, %d %b %Y %H:%M:%S +0000", at); }

std::string make_message_id(std::string_view idempotency_key, std::string_view from_address) {
  return fmt::format("<{}@cobrador.{}>", sha256_hex(idempotency_key).substr(0, 32),
                     address_domain(from_address));
}

Result<std::string> build_email(const EmailMessage& m) {
  if (auto ok = check(m); !ok) return ok.error();
  std::string out;
  out += fold_header("Date", {format_email_date(m.date)});
  out += fold_header("From", mailbox_tokens("From", m.from));
  out += fold_header("To", mailbox_tokens("To", m.to));
  out += fold_header("Subject", unstructured_tokens("Subject", m.subject));
  out += fold_header("Message-ID", {make_message_id(m.idempotency_key, m.from.address)});
  // A notice is machine-made: RFC 3834 tells vacation responders not to answer it.
  out += "Auto-Submitted: auto-generated\r\n";
  out += "MIME-Version: 1.0\r\n";
  out += "Content-Type: text/plain; charset=UTF-8\r\n";
  out += "Content-Transfer-Encoding: base64\r\n";
  if (!m.language.empty()) out += fold_header("Content-Language", {m.language});
  out += "\r\n";
  out += base64_body(m.text);
  return out;
}

}  // namespace cobrador::notify
