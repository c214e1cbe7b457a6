// Implements dispatch/outbound_setup.hpp: cobrador.yaml's panels and channels mapped onto
// the adapters' and channels' own settings, secrets read from their files.
#include "dispatch/outbound_setup.hpp"

#include <fmt/format.h>

namespace cobrador::dispatch {

namespace {

// The secret of a *_file key; an empty name means the key is absent (not every type has one).
Result<std::string> secret_of(const config::Config& config, const std::string& file) {
  if (file.empty()) return std::string();
  return config::read_secret(config, file);
}

void add_panel(const config::Config& config, const std::string& name, const config::PanelConfig& panel,
               Outbound& out) {
  auto secret = secret_of(config, panel.secret_file);
  if (!secret) {
    out.unusable[panel_lane(name)] = secret.error().message;
    return;
  }
  PanelSetup setup;
  setup.config.type = panel.type;
  setup.config.url = panel.url;
  setup.config.user = panel.user;
  setup.config.secret = std::move(*secret);
  if (!panel.identifier_file.empty()) {
    auto identifier = secret_of(config, panel.identifier_file);
    if (!identifier) {
      out.unusable[panel_lane(name)] = identifier.error().message;
      return;
    }
    setup.config.identifier = std::move(*identifier);
  }
  setup.config.command = panel.command;
  setup.config.timeout = panel.timeout;
  setup.config.verify_tls = panel.verify_tls;
  setup.config.poll_interval = panel.backup_poll;
  setup.config.poll_limit = panel.backup_max_wait;
  setup.concurrency = panel.concurrency;
  out.panels.emplace(name, std::move(setup));
}

void add_email(const config::Config& config, const config::EmailChannel& email, Outbound& out) {
  const auto starttls = notify::parse_starttls(email.starttls);
  auto password = secret_of(config, email.password_file);
  if (!starttls || !password) {
    out.unusable[channel_lane("email")] = !starttls ? starttls.error().message : password.error().message;
    return;
  }
  notify::SmtpConfig smtp;
  smtp.smtp_url = email.smtp_url;
  smtp.starttls = *starttls;
  smtp.user = email.user;
  smtp.password = std::move(*password);
  smtp.from = email.from;
  smtp.ca_file = email.ca_file;
  out.email = std::move(smtp);
  out.email_concurrency = email.concurrency;
}

void add_sms(const config::Config& config, const config::SmsChannel& sms, Outbound& out) {
  auto auth = secret_of(config, sms.auth_header_file);
  if (!auth) {
    out.unusable[channel_lane("sms")] = auth.error().message;
    return;
  }
  out.sms = notify::SmsConfig{sms.url, sms.method, std::move(*auth), sms.body};
  out.sms_concurrency = sms.concurrency;
}

}  // namespace

std::string panel_lane(std::string_view panel) { return fmt::format("panel:{}", panel); }
std::string channel_lane(std::string_view channel) { return fmt::format("channel:{}", channel); }

Outbound outbound_from(const config::Config& config) {
  Outbound out;
  for (const auto& [name, panel] : config.panels) add_panel(config, name, panel, out);
  if (config.email) add_email(config, *config.email, out);
  if (config.sms) add_sms(config, *config.sms, out);
  out.templates = config.templates;
  out.support = {{"support_phone", config.support.phone},
                 {"support_email", config.support.email},
                 {"support_url", config.support.url}};
  if (config.links && !config.public_url.empty()) {
    out.links =
        LinkSigning{config.public_url, config.links->link_days,
                    [config, file = config.links->key_file] { return config::read_secret(config, file); }};
  }
  return out;
}

}  // namespace cobrador::dispatch
