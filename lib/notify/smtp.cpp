// Implements the libcurl SMTP transfer: configuration checks, options, upload and outcome.
#include "notify/smtp.hpp"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "notify/mailbox.hpp"

namespace cobrador::notify {

namespace {

struct CurlUrlDeleter {
  void operator()(CURLU* url) const { curl_url_cleanup(url); }
};
struct CurlFree {
  void operator()(char* text) const { curl_free(text); }
};
using CurlString = std::unique_ptr<char, CurlFree>;

// The scheme of a usable smtp_url ("smtp" or "smtps"). The URL itself is never echoed: an
// operator may have pasted credentials into it.
Result<std::string> check_url(const std::string& text) {
  std::unique_ptr<CURLU, CurlUrlDeleter> url(curl_url());
  if (!url || curl_url_set(url.get(), CURLUPART_URL, text.c_str(), 0) != CURLUE_OK) {
    return make_error("smtp_url: not a URL (expected smtp://host:port or smtps://host:port)");
  }
  char* raw = nullptr;
  curl_url_get(url.get(), CURLUPART_SCHEME, &raw, 0);
  const CurlString scheme(raw);
  const std::string name = scheme ? scheme.get() : "";
  if (name != "smtp" && name != "smtps") {
    return make_error(fmt::format("smtp_url: scheme '{}' is not smtp or smtps", name));
  }
  raw = nullptr;
  if (curl_url_get(url.get(), CURLUPART_USER, &raw, 0) == CURLUE_OK) {
    curl_free(raw);
    return make_error("smtp_url: holds a user name; use `user:` and `password_file:` instead");
  }
  return name;
}

Status check_credentials(const SmtpConfig& config, const std::string& scheme) {
  if (config.user.empty() != config.password.empty()) {
    return make_error("smtp: user and password go together (one of them is empty)");
  }
  // With anything but a mandatory upgrade, a man in the middle can strip STARTTLS from the
  // server's answer and read the password.
  if (!config.password.empty() && scheme == "smtp" && config.starttls != StartTls::required) {
    return make_error("smtp: a password is only sent over TLS; set starttls: required or use smtps://");
  }
  return Ok{};
}

long use_ssl_level(StartTls starttls) {
  switch (starttls) {
    case StartTls::required:
      return CURLUSESSL_ALL;
    case StartTls::opportunistic:
      return CURLUSESSL_TRY;
    case StartTls::none:
      return CURLUSESSL_NONE;
  }
  return CURLUSESSL_ALL;
}

}  // namespace

Result<StartTls> parse_starttls(std::string_view text) {
  if (text == "required") return StartTls::required;
  if (text == "opportunistic") return StartTls::opportunistic;
  if (text == "none") return StartTls::none;
  return make_error(fmt::format("starttls: '{}' is not one of required, opportunistic, none", text));
}

Status SmtpTransfer::configure(const SmtpConfig& config, std::string_view from_address,
                               std::string_view recipient) {
  CURL* curl = curl_.get();
  CURLcode rc = CURLE_OK;
  const auto set = [&](CURLoption option, auto value) {
    if (rc == CURLE_OK) rc = curl_easy_setopt(curl, option, value);
  };
  const std::string mail_from = fmt::format("<{}>", from_address);
  const std::string rcpt = fmt::format("<{}>", recipient);
  recipients_.reset(curl_slist_append(nullptr, rcpt.c_str()));
  if (!recipients_) return make_error("smtp: out of memory");
  set(CURLOPT_ERRORBUFFER, error_.data());
  set(CURLOPT_URL, config.smtp_url.c_str());
  // Refuse redirections into other protocols, whatever the URL turns out to be.
  set(CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  set(CURLOPT_MAIL_FROM, mail_from.c_str());
  set(CURLOPT_MAIL_RCPT, recipients_.get());
  set(CURLOPT_UPLOAD, 1L);
  set(CURLOPT_READFUNCTION, &SmtpTransfer::read_message);
  set(CURLOPT_READDATA, this);
  set(CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message_.size()));
  set(CURLOPT_USE_SSL, use_ssl_level(config.starttls));
  if (!config.user.empty()) {
    set(CURLOPT_USERNAME, config.user.c_str());
    set(CURLOPT_PASSWORD, config.password.c_str());
  }
  if (!config.ca_file.empty()) set(CURLOPT_CAINFO, config.ca_file.c_str());
  set(CURLOPT_SSL_VERIFYPEER, config.verify_tls ? 1L : 0L);
  set(CURLOPT_SSL_VERIFYHOST, config.verify_tls ? 2L : 0L);
  set(CURLOPT_CONNECTTIMEOUT, static_cast<long>(std::min<std::int64_t>(config.timeout.count(), 15)));
  set(CURLOPT_TIMEOUT, static_cast<long>(config.timeout.count()));
  // Signals and threads do not mix; the daemon runs transfers off the main thread.
  set(CURLOPT_NOSIGNAL, 1L);
  // VERBOSE is what makes curl call on_debug, which reads the server's replies.
  set(CURLOPT_VERBOSE, 1L);
  set(CURLOPT_DEBUGFUNCTION, &SmtpTransfer::on_debug);
  set(CURLOPT_DEBUGDATA, this);
  if (rc != CURLE_OK)
    return make_error(fmt::format("smtp: libcurl refused an option: {}", curl_easy_strerror(rc)));
  return Ok{};
}

std::size_t SmtpTransfer::read_message(char* buffer, std::size_t size, std::size_t count, void* self) {
  auto& transfer = *static_cast<SmtpTransfer*>(self);
  const std::size_t n = std::min(size * count, transfer.message_.size() - transfer.sent_);
  std::memcpy(buffer, transfer.message_.data() + transfer.sent_, n);
  transfer.sent_ += n;
  return n;
}

int SmtpTransfer::on_debug(CURL*, curl_infotype type, char* data, std::size_t size, void* self) {
  auto& replies = static_cast<SmtpTransfer*>(self)->replies_;
  if (type == CURLINFO_HEADER_OUT) replies.command_sent({data, size});
  if (type == CURLINFO_HEADER_IN) replies.reply_received({data, size});
  return 0;
}

SmtpOutcome SmtpTransfer::outcome(CURLcode result) const {
  SmtpOutcome out;
  out.code = replies_.code();
  out.reply = replies_.reply();
  out.command = replies_.command();
  if (out.code == 0) curl_easy_getinfo(curl_.get(), CURLINFO_RESPONSE_CODE, &out.code);
  out.delivered = result == CURLE_OK;
  if (!out.delivered) {
    out.error = curl_easy_strerror(result);
    if (error_[0] != '\0') out.error += fmt::format(" ({})", error_.data());
    out.permanent = out.code >= 500 && out.code < 600;
  }
  return out;
}

Result<std::unique_ptr<SmtpTransfer>> make_smtp_transfer(const SmtpConfig& config, std::string_view recipient,
                                                         std::string message) {
  auto scheme = check_url(config.smtp_url);
  if (!scheme) return scheme.error();
  if (auto ok = check_credentials(config, *scheme); !ok) return ok.error();
  auto from = parse_mailbox(config.from);
  if (!from) return make_error("from: " + from.error().message);
  if (auto ok = check_address(recipient); !ok) return make_error("recipient: " + ok.error().message);
  if (message.empty()) return make_error("smtp: the message is empty");
  std::unique_ptr<SmtpTransfer> transfer(new SmtpTransfer());
  transfer->message_ = std::move(message);
  transfer->curl_.reset(curl_easy_init());
  if (!transfer->curl_) return make_error("smtp: curl_easy_init failed");
  if (auto ok = transfer->configure(config, from->address, recipient); !ok) return ok.error();
  return transfer;
}

Result<SmtpOutcome> send_blocking(const SmtpConfig& config, std::string_view recipient, std::string message) {
  auto transfer = make_smtp_transfer(config, recipient, std::move(message));
  if (!transfer) return transfer.error();
  const CURLcode result = curl_easy_perform((*transfer)->handle());
  return (*transfer)->outcome(result);
}

}  // namespace cobrador::notify
