// Tokens and webhook secrets are read once from their files (or systemd credentials), kept as
// digests, and a bad file stops the start with a message that names it but never quotes it.
#include <catch2/catch.hpp>

#include <cstdlib>

#include "http/auth.hpp"
#include "support/temp_dir.hpp"

using namespace cobrador;

namespace {

config::Config config_in(const testing::TempDir& dir) {
  config::Config config;
  config.file = (dir / "cobrador.yaml").string();
  config.api_clients["billing"] = {"billing.token", {"billing"}, false};
  config.webhook_sources["bank"] = {{"bank.secret"}, true};
  return config;
}

http::Request bearer(const std::string& token) {
  http::Request request;
  request.headers.emplace_back("authorization", "Bearer " + token);
  return request;
}

}  // namespace

// With $CREDENTIALS_DIRECTORY set (systemd LoadCredential=), relative files are read from there.
TEST_CASE("tokens and secrets come from the systemd credentials directory", "[http]") {
  testing::TempDir dir;
  testing::TempDir credentials;
  credentials.write("billing.token", "from-systemd\n");
  credentials.write("bank.secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n");
  dir.write("billing.token", "from-config-folder\n");
  ::setenv("CREDENTIALS_DIRECTORY", credentials.path().c_str(), 1);
  auto loaded = http::Credentials::load(config_in(dir));
  ::unsetenv("CREDENTIALS_DIRECTORY");
  REQUIRE(loaded);
  CHECK(std::holds_alternative<http::Caller>(
      http::authorize_bearer(*loaded, bearer("from-systemd"), {"billing"})));
  CHECK(std::holds_alternative<http::Response>(
      http::authorize_bearer(*loaded, bearer("from-config-folder"), {"billing"})));
  CHECK(loaded->bank_source("bank")->confirms_payments);
}

// An empty token file or a secret without whsec_ is refused by file name, without its content.
TEST_CASE("bad token and secret files stop the start without showing what they hold", "[http]") {
  testing::TempDir dir;
  dir.write("billing.token", "\n");
  dir.write("bank.secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n");
  auto empty = http::Credentials::load(config_in(dir));
  REQUIRE(!empty);
  CHECK(empty.error().message ==
        "api_clients.billing: " + (dir / "billing.token").string() + ": secret file is empty");

  dir.write("billing.token", "t0ken\n");
  dir.write("bank.secret", "hunter2-not-a-webhook-secret\n");
  auto bad = http::Credentials::load(config_in(dir));
  REQUIRE(!bad);
  CHECK(bad.error().message == "webhook_sources.bank: " + (dir / "bank.secret").string() +
                                   ": webhook secret does not start with whsec_");
  CHECK(bad.error().message.find("hunter2") == std::string::npos);
}
