// Implements hooks/panel_factory.hpp.
#include "hooks/panel_factory.hpp"

#include "hooks/account_name.hpp"
#include "hooks/cpanel_panel.hpp"
#include "hooks/directadmin_panel.hpp"
#include "hooks/exec_panel.hpp"
#include "hooks/plesk_panel.hpp"
#include "hooks/fossbilling_panel.hpp"
#include "hooks/whmcs_panel.hpp"
#include "hooks/webhook_panel.hpp"
#include "util/standard_webhooks.hpp"

namespace cobrador::hooks {

namespace {

Error problem(const std::string& name, const std::string& what) {
  return make_error("panel '" + name + "': " + what);
}

bool is_http_url(const std::string& url) {
  return url.rfind("https://", 0) == 0 || url.rfind("http://", 0) == 0;
}

// The keys each type needs, by the names they have in cobrador.yaml.
Status check(const std::string& name, const PanelConfig& c) {
  const auto& type = c.type;
  const bool http = type == "webhook" || type == "cpanel" || type == "directadmin" || type == "plesk" ||
                    type == "whmcs" || type == "fossbilling";
  if (!http && type != "exec") {
    return problem(name, "unknown type '" + type +
                             "' (expected webhook, cpanel, directadmin, plesk, exec, whmcs or fossbilling)");
  }
  if (type == "whmcs" && (c.identifier.empty() || c.secret.empty()))
    return problem(name, "identifier_file and secret_file are missing or empty");
  if (type == "fossbilling" && c.secret.empty()) return problem(name, "key_file is missing or empty");
  if (http && !is_http_url(c.url)) return problem(name, "url must start with https:// or http://");
  if ((type == "cpanel" || type == "directadmin") && c.user.empty()) return problem(name, "user is missing");
  if (type == "cpanel" && c.secret.empty()) return problem(name, "token_file is missing or empty");
  if (type == "directadmin" && c.secret.empty()) return problem(name, "login_key_file is missing or empty");
  if (type == "plesk" && c.secret.empty()) return problem(name, "key_file is missing or empty");
  if (type == "webhook") {
    if (const auto key = webhooks::decode_secret(c.secret); !key)
      return problem(name, "secret_file: " + key.error().message);
  }
  if (type == "exec" && (c.command.empty() || c.command.front() != '/')) {
    return problem(name, "command must be an absolute path");
  }
  if (c.timeout.count() <= 0) return problem(name, "timeout must be positive");
  return Ok{};
}

}  // namespace

Result<std::unique_ptr<Panel>> make_panel(const std::string& name, const PanelConfig& config,
                                          net::HttpClient& http, boost::asio::io_context& io, Now now) {
  if (auto ok = check(name, config); !ok) return ok.error();
  std::unique_ptr<Panel> panel;
  if (config.type == "webhook") panel = std::make_unique<WebhookPanel>(config, http, io, std::move(now));
  if (config.type == "cpanel") panel = std::make_unique<CpanelPanel>(config, http, io, std::move(now));
  if (config.type == "directadmin")
    panel = std::make_unique<DirectAdminPanel>(config, http, io, std::move(now));
  if (config.type == "plesk") panel = std::make_unique<PleskPanel>(config, http, io, std::move(now));
  if (config.type == "exec") panel = std::make_unique<ExecPanel>(config, io);
  if (config.type == "whmcs") panel = std::make_unique<WhmcsPanel>(config, http, io, now);
  if (config.type == "fossbilling") panel = std::make_unique<FossbillingPanel>(config, http, io, now);
  return with_account_check(std::move(panel), io);
}

}  // namespace cobrador::hooks
