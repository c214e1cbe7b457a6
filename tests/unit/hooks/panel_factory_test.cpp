#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include "hooks/panel_factory.hpp"

using namespace cobrador;
using hooks::PanelConfig;

namespace {

struct Factory {
  boost::asio::io_context io;
  net::HttpClient http{io};

  std::string error_of(const PanelConfig& config) {
    auto panel =
        hooks::make_panel("p1", config, http, io, [] { return std::chrono::system_clock::time_point(); });
    return panel ? "" : panel.error().message;
  }
};

PanelConfig config(std::string type, std::string url, std::string user, std::string secret,
                   std::string command = {}) {
  PanelConfig c;
  c.type = std::move(type);
  c.url = std::move(url);
  c.user = std::move(user);
  c.secret = std::move(secret);
  c.command = std::move(command);
  return c;
}

}  // namespace

// Complete configs of every type build a panel.
TEST_CASE("make_panel builds every adapter type", "[hooks]") {
  Factory f;
  CHECK(f.error_of(config("cpanel", "https://whm:2087", "root", "T")) == "");
  CHECK(f.error_of(config("directadmin", "https://da:2222", "admin", "K")) == "");
  CHECK(f.error_of(config("plesk", "https://plesk:8443", "", "K")) == "");
  CHECK(f.error_of(config("webhook", "https://noc/x", "", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")) == "");
  CHECK(f.error_of(config("exec", "", "", "", "/usr/lib/cobrador/hooks/router-block")) == "");
}

// Missing or bad keys are named with the panel, by their cobrador.yaml names.
TEST_CASE("make_panel names what a config lacks", "[hooks]") {
  Factory f;
  CHECK(f.error_of(config("ftp", "", "", "")) ==
        "panel 'p1': unknown type 'ftp' (expected webhook, cpanel, directadmin, plesk, exec, whmcs or "
        "fossbilling)");
  CHECK(f.error_of(config("cpanel", "whm:2087", "root", "T")) ==
        "panel 'p1': url must start with https:// or http://");
  CHECK(f.error_of(config("cpanel", "https://whm:2087", "", "T")) == "panel 'p1': user is missing");
  CHECK(f.error_of(config("cpanel", "https://whm:2087", "root", "")) ==
        "panel 'p1': token_file is missing or empty");
  CHECK(f.error_of(config("directadmin", "https://da", "admin", "")) ==
        "panel 'p1': login_key_file is missing or empty");
  CHECK(f.error_of(config("plesk", "https://plesk", "", "")) == "panel 'p1': key_file is missing or empty");
  CHECK(f.error_of(config("exec", "", "", "", "router-block")) ==
        "panel 'p1': command must be an absolute path");
}

// A webhook secret in the wrong form is refused without the secret appearing in the error.
TEST_CASE("make_panel refuses a bad webhook secret without showing it", "[hooks]") {
  Factory f;
  const auto error = f.error_of(config("webhook", "https://noc/x", "", "hunter2-plain-secret"));
  CHECK(error == "panel 'p1': secret_file: webhook secret does not start with whsec_");
  CHECK(error.find("hunter2") == std::string::npos);
}
