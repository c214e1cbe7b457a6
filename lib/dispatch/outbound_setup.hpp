// What the dispatcher talks to, built from cobrador.yaml: each panel's adapter settings with
// its secret read from its *_file, the e-mail and SMS channels, the templates folder and the
// support contacts every notice carries. One broken panel or channel does not stop the rest:
// it is listed in `unusable` and only its own actions wait.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "config/config.hpp"
#include "hooks/panel_config.hpp"
#include "notify/sms.hpp"
#include "notify/smtp.hpp"
#include "notify/template.hpp"

namespace cobrador::dispatch {

struct PanelSetup {
  hooks::PanelConfig config;
  int concurrency = 4;
};

// What a notice needs to carry the customer's link (docs/customer-page.md). The key is read at
// each notice, so that replacing links.key_file takes effect at once (and ends every link).
struct LinkSigning {
  std::string public_url;  // without a trailing slash
  int link_days = 30;
  std::function<Result<std::string>()> key;
};

struct Outbound {
  std::map<std::string, PanelSetup> panels;
  std::optional<notify::SmtpConfig> email;
  int email_concurrency = 4;
  std::optional<notify::SmsConfig> sms;
  int sms_concurrency = 4;
  std::filesystem::path templates;
  notify::Variables support;         // support_phone, support_email, support_url
  std::optional<LinkSigning> links;  // none: customer_link is the support_url
  // "panel:<name>" or "channel:email|sms" → why it cannot be used (never a secret).
  std::map<std::string, std::string> unusable;
};

Outbound outbound_from(const config::Config& config);

// The lane (concurrency group) names the dispatcher uses for a panel and a channel.
std::string panel_lane(std::string_view panel);
std::string channel_lane(std::string_view channel);

}  // namespace cobrador::dispatch
