// Sends notice actions: renders the payload with the installation's templates in the
// customer's language, then sends it by e-mail (SMTP through libcurl, on the shared curl
// multi) or SMS (the configured HTTP gateway). What went out and the server's reply come back
// as the Delivery's evidence, for the audit trail.
#pragma once

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "dispatch/delivery.hpp"
#include "net/http_client.hpp"
#include "dispatch/outbound_setup.hpp"
#include "domain/entities.hpp"
#include "notify/mailbox.hpp"
#include "notify/sms.hpp"
#include "notify/smtp.hpp"
#include "notify/template_library.hpp"
#include "policy/policy.hpp"

namespace cobrador::dispatch {

// How long an SMS gateway may take to answer; the dispatcher leases the SMS lane for longer.
inline constexpr std::chrono::seconds kSmsTimeout{30};

class NoticeSender {
 public:
  using Clock = std::function<Instant()>;
  using Done = std::function<void(Delivery)>;

  // Loads the templates and checks both channels now, so that a broken setting is reported
  // once (problems()) instead of failing each notice in its own way. With a policy, a
  // notice's next_step_date is checked against its calendar when the notice goes out.
  NoticeSender(net::HttpClient& http, boost::asio::io_context& io, const Outbound& outbound, Clock now,
               std::shared_ptr<const policy::Policy> policy = nullptr);

  // "channel:email" / "channel:sms" → why it cannot send now. A notice for such a channel
  // is retried later: the operator may fix the setting meanwhile.
  const std::map<std::string, std::string>& problems() const { return problems_; }

  // Renders and sends one notice action. `done` runs once, on the io_context, never inside
  // send(). A notice that can never go out as it is (no such template, a bad address) is
  // `failed`; a refused or unreachable server is `retry`.
  void send(const Action& action, Done done);

 private:
  void send_email(const Action& action, const std::string& to, const notify::RenderedNotice& notice,
                  const std::string& name, nlohmann::json evidence, Done done);
  void send_sms(const Action& action, const std::string& to, const notify::RenderedNotice& notice,
                nlohmann::json evidence, Done done);
  void post(Done done, Delivery delivery);

  net::HttpClient& http_;
  boost::asio::io_context& io_;
  Clock now_;
  std::shared_ptr<const policy::Policy> policy_;
  std::optional<notify::TemplateLibrary> templates_;
  notify::Variables support_;
  std::optional<LinkSigning> links_;
  std::optional<notify::SmtpConfig> smtp_;
  notify::Mailbox from_;
  std::optional<notify::SmsGateway> sms_;
  std::map<std::string, std::string> problems_;
};

}  // namespace cobrador::dispatch
