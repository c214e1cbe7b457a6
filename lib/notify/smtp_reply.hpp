// Follows an SMTP conversation as libcurl's debug callback reports it, to keep the server's
// reply to the last command before QUIT ("250 2.0.0 Ok: queued as 4F2A1") for the audit trail.
// Only command verbs are kept from what we send: AUTH arguments are credentials.
#pragma once

#include <string>
#include <string_view>

namespace cobrador::notify {

class SmtpReplyLog {
 public:
  // A line we sent (CURLINFO_HEADER_OUT).
  void command_sent(std::string_view line);
  // Lines the server sent (CURLINFO_HEADER_IN); may hold several lines or part of one.
  void reply_received(std::string_view data);

  // The code of the last complete reply before QUIT; 0 when the server never answered.
  long code() const { return code_; }
  // That reply's last line, without its line end.
  const std::string& reply() const { return reply_; }
  // The verb of the command it answered ("DATA", "RCPT", "AUTH"); empty for the greeting.
  const std::string& command() const { return command_; }

 private:
  void line_received(std::string_view line);

  std::string pending_;       // a reply line not yet ended
  std::string last_command_;  // the verb of the last command sent
  std::string command_;
  std::string reply_;
  long code_ = 0;
  bool quitting_ = false;
};

}  // namespace cobrador::notify
