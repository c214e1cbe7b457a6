// Sends one notice e-mail over SMTP with libcurl. make_smtp_transfer() builds a configured easy
// handle together with everything it points at (the message, the recipient list, the reply
// log), so that an event loop can run it with curl_multi; send_blocking() runs it in place for
// the CLI and the tests. Either way outcome() turns the result into what the audit trail keeps.
#pragma once

#include <array>
#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include <curl/curl.h>

#include "notify/smtp_reply.hpp"
#include "util/result.hpp"

namespace cobrador::notify {

// channels.email.starttls. `required` refuses to send unless the server upgrades to TLS;
// `opportunistic` upgrades when offered; `none` never does. An smtps:// URL is TLS from the
// first byte and ignores this.
enum class StartTls { required, opportunistic, none };

Result<StartTls> parse_starttls(std::string_view text);

struct SmtpConfig {
  std::string smtp_url;  // "smtp://mail.example.com:587" or "smtps://...:465"
  StartTls starttls = StartTls::required;
  std::string user;                  // empty: no AUTH
  std::string password;              // the secret itself, read from password_file
  std::string from;                  // "Billing <billing@example.com>"
  std::string ca_file;               // optional CA bundle for a private CA
  bool verify_tls = true;            // off only for a test server's self-signed certificate
  std::chrono::seconds timeout{60};  // the whole transfer
};

// What happened to one message. A failed delivery is a value: the dispatcher retries it.
struct SmtpOutcome {
  bool delivered = false;
  long code = 0;           // the server's last reply before QUIT; 0 if it never answered
  std::string reply;       // that reply's last line, e.g. "250 2.0.0 Ok: queued as 4F2A1"
  std::string command;     // the command it answered: "DATA", "RCPT", "AUTH", "EHLO"...
  std::string error;       // why it was not delivered (libcurl's words); never holds a secret
  bool permanent = false;  // the server refused with 5xx: the same message will fail again
};

struct CurlEasyDeleter {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
struct CurlSlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

// One configured SMTP transfer. libcurl keeps pointers into this object, so it never moves;
// it lives behind a unique_ptr. Remove the handle from any curl multi before destroying it.
class SmtpTransfer {
 public:
  SmtpTransfer(const SmtpTransfer&) = delete;
  SmtpTransfer& operator=(const SmtpTransfer&) = delete;
  ~SmtpTransfer() = default;

  CURL* handle() const { return curl_.get(); }
  // Reads the finished transfer: `result` is curl_easy_perform's return or CURLMSG_DONE's.
  SmtpOutcome outcome(CURLcode result) const;

 private:
  SmtpTransfer() = default;
  friend Result<std::unique_ptr<SmtpTransfer>> make_smtp_transfer(const SmtpConfig&, std::string_view,
                                                                  std::string);
  Status configure(const SmtpConfig& config, std::string_view from_address, std::string_view recipient);
  static std::size_t read_message(char* buffer, std::size_t size, std::size_t count, void* self);
  static int on_debug(CURL*, curl_infotype type, char* data, std::size_t size, void* self);

  std::string message_;
  std::size_t sent_ = 0;
  SmtpReplyLog replies_;
  std::array<char, CURL_ERROR_SIZE> error_{};
  std::unique_ptr<curl_slist, CurlSlistDeleter> recipients_;
  // Last, so that it goes first: curl_easy_cleanup may still call back into the members above
  // (a QUIT on the cached connection reaches on_debug).
  std::unique_ptr<CURL, CurlEasyDeleter> curl_;
};

// A transfer that sends `message` (built by build_email) to `recipient` (a bare address).
// Fails without touching the network when the configuration is unusable: a URL that is not
// smtp:// or smtps:// or carries credentials, a password that would travel in clear text
// (starttls other than required on smtp://), a bad sender or recipient address.
Result<std::unique_ptr<SmtpTransfer>> make_smtp_transfer(const SmtpConfig& config, std::string_view recipient,
                                                         std::string message);

// Runs the transfer to the end on this thread (curl_easy_perform).
Result<SmtpOutcome> send_blocking(const SmtpConfig& config, std::string_view recipient, std::string message);

}  // namespace cobrador::notify
