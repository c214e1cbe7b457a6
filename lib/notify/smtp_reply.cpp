// Implements the SMTP reply tracker.
#include "notify/smtp_reply.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace cobrador::notify {

namespace {

// Verbs worth naming in the audit trail. Anything else we send is an AUTH continuation
// (a base64 user name or password), which must never be kept.
constexpr std::array<std::string_view, 10> known_verbs{"EHLO", "HELO", "STARTTLS", "AUTH", "MAIL",
                                                       "RCPT", "DATA", "RSET",     "NOOP", "QUIT"};

std::string verb_of(std::string_view line) {
  std::string verb(line.substr(0, line.find_first_of(" \r\n")));
  for (char& c : verb) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const bool known = std::find(known_verbs.begin(), known_verbs.end(), verb) != known_verbs.end();
  return known ? verb : "AUTH";
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

void SmtpReplyLog::command_sent(std::string_view line) {
  last_command_ = verb_of(line);
  if (last_command_ == "QUIT") quitting_ = true;
}

void SmtpReplyLog::reply_received(std::string_view data) {
  for (const char c : data) {
    if (c == '\n') {
      if (!pending_.empty() && pending_.back() == '\r') pending_.pop_back();
      line_received(pending_);
      pending_.clear();
    } else {
      pending_ += c;
    }
  }
}

void SmtpReplyLog::line_received(std::string_view line) {
  if (quitting_) return;
  // "250-PIPELINING" continues a multi-line reply; "250 SIZE" or a bare "250" ends it.
  const bool has_code = line.size() >= 3 && is_digit(line[0]) && is_digit(line[1]) && is_digit(line[2]);
  const bool last_line = has_code && (line.size() == 3 || line[3] == ' ');
  if (!last_line) return;
  code_ = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
  reply_ = std::string(line);
  command_ = last_command_;
}

}  // namespace cobrador::notify
