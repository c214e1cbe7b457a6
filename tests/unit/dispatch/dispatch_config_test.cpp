// cobrador.yaml's settings for delivery: the dispatch section, channel concurrency and the
// e-mail CA bundle, and errors that say where.
#include <catch2/catch.hpp>

#include "config/config.hpp"

using namespace cobrador;
using std::chrono::seconds;

namespace {

const std::string kBase = "database: /var/lib/cobrador/cobrador.db\n";

}  // namespace

// Every key has its documented default.
TEST_CASE("delivery settings default to 8 attempts, 1 minute to 1 hour, 5 minute leases", "[dispatch]") {
  const auto config = config::parse_config(kBase, "/etc/cobrador/cobrador.yaml");
  REQUIRE(config);
  CHECK(config->dispatch.max_attempts == 8);
  CHECK(config->dispatch.retry_initial == seconds(60));
  CHECK(config->dispatch.retry_max == seconds(3600));
  CHECK(config->dispatch.lease == seconds(300));
}

// The keys are read, durations in s, m or h, and a relative ca_file sits next to the config.
TEST_CASE("delivery settings are read from cobrador.yaml", "[dispatch]") {
  const auto config = config::parse_config(
      kBase +
          "panels:\n  whm1: { type: cpanel, url: https://whm1.example.com:2087, user: root, token_file: t,"
          " concurrency: 16, backup_poll: 30s, backup_max_wait: 2h }\n"
          "channels:\n  email: { smtp_url: \"smtp://mail.example.com:587\", from: billing@example.com,"
          " ca_file: ca.pem, concurrency: 8 }\n"
          "  sms: { url: https://sms.example.com/send, body: 'to={{phone}}&text={{text}}', concurrency: 2 }\n"
          "dispatch: { max_attempts: 5, retry_initial: 30s, retry_max: 2h, lease: 10m }\n",
      "/etc/cobrador/cobrador.yaml");
  INFO((config ? "" : config.error().message));
  REQUIRE(config);
  const auto& panel = config->panels.at("whm1");
  CHECK(panel.concurrency == 16);
  CHECK(panel.backup_poll == seconds(30));
  CHECK(panel.backup_max_wait == seconds(7200));
  CHECK(config->email->ca_file == "/etc/cobrador/ca.pem");
  CHECK(config->email->concurrency == 8);
  CHECK(config->sms->concurrency == 2);
  CHECK(config->dispatch.max_attempts == 5);
  CHECK(config->dispatch.retry_initial == seconds(30));
  CHECK(config->dispatch.retry_max == seconds(7200));
  CHECK(config->dispatch.lease == seconds(600));
}

// A bad value or an unknown key names the file, line and column.
TEST_CASE("a bad delivery setting says where it is", "[dispatch]") {
  const auto config = config::parse_config(
      kBase + "dispatch:\n  retry_initial: soon\n  max_attempts: 0\n  retries: 3\n", "cobrador.yaml");
  REQUIRE(!config);
  CHECK(config.error().message ==
        "cobrador.yaml:4:17: dispatch.max_attempts: 0 is out of range (1 to 100)\n"
        "cobrador.yaml:3:18: dispatch.retry_initial: 'soon' is not a duration like 30s, 5m or 6h, of at most "
        "ten years\n"
        "cobrador.yaml:5:3: unknown key 'retries' in dispatch");
}
