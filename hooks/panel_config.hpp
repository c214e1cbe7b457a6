// A panel's settings from cobrador.yaml's `panels:` map, after the config loader has read the
// secret from its *_file (token_file, login_key_file, key_file or secret_file).
#pragma once

#include <chrono>
#include <string>

namespace cobrador::hooks {

struct PanelConfig {
  std::string type;        // webhook | cpanel | directadmin | plesk | exec
  std::string url;         // base URL (webhook: the full endpoint)
  std::string user;        // cpanel, directadmin
  std::string secret;      // WHM API token, DirectAdmin login key, Plesk API key, webhook whsec_ secret,
                           // WHMCS API secret, FOSSBilling admin API key
  std::string identifier;  // whmcs: the API credential's identifier
  std::string command;     // exec: absolute path of the program
  std::chrono::milliseconds timeout{std::chrono::seconds(30)};  // one HTTP request, or one exec run
  bool verify_tls = true;
  // Backups that run in the background (cPanel, DirectAdmin) are polled this often, and given
  // up on (retry) after this long.
  std::chrono::milliseconds poll_interval{std::chrono::seconds(10)};
  std::chrono::milliseconds poll_limit{std::chrono::hours(6)};
};

}  // namespace cobrador::hooks
