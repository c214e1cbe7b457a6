// Secret files that group or others may read are refused when cobradord starts (and by
// --check-config), naming the file: a token that every local user can read is no secret.
#include <sys/stat.h>

#include <catch2/catch.hpp>

#include <fmt/format.h>

#include "support/process.hpp"
#include "support/temp_dir.hpp"

using namespace cobrador::testing;

namespace {

// A site whose one API client's token file has `mode`.
struct SecretSite {
  explicit SecretSite(mode_t mode) {
    token = dir.write("billing.token", "billing-token-0123456789abcdef\n").string();
    ::chmod(token.c_str(), mode);
    config =
        dir.write("cobrador.yaml",
                  fmt::format("database: cobrador.db\npolicy: {0}/etc/policy.yaml\n"
                              "templates: {0}/etc/templates\nlisten: 127.0.0.1:0\n"
                              "api_clients:\n  billing: {{ token_file: billing.token, scopes: [billing] }}\n",
                              COBRADOR_SOURCE_DIR))
            .string();
  }

  TempDir dir;
  std::string token;
  std::string config;
};

}  // namespace

// 0644 and 0640 (and a group-writable 0620) stop the start with exit 1 and the path; the
// daemon never gets to listen. `timeout` ends a daemon that wrongly started.
TEST_CASE("cobradord refuses to start with a secret file others can read", "[daemon]") {
  for (const mode_t mode : {0644, 0640, 0620, 0604}) {
    SecretSite site(mode);
    const auto started = run_process({"/usr/bin/timeout", "10", COBRADORD_PATH, "-c", site.config});
    INFO(fmt::format("mode {:04o}: exit {}, {}", mode, started.exit_code, started.err));
    CHECK(started.exit_code == 1);
    CHECK(started.err.find(fmt::format(
              "{}: secret file is open to group or others (mode {:04o}); chmod 600 it", site.token, mode)) !=
          std::string::npos);
    CHECK(started.err.find("billing-token-0123456789abcdef") == std::string::npos);

    const auto checked = run_process({COBRADORD_PATH, "--check-config", "-c", site.config});
    CHECK(checked.exit_code != 0);
    CHECK(checked.err.find(site.token + ": secret file is open to group or others") != std::string::npos);
  }
}

// The owner's alone (0600, 0400) is what the check wants.
TEST_CASE("a secret file readable by its owner alone passes the check", "[daemon]") {
  for (const mode_t mode : {0600, 0400}) {
    SecretSite site(mode);
    const auto checked = run_process({COBRADORD_PATH, "--check-config", "-c", site.config});
    INFO(checked.err);
    CHECK(checked.exit_code == 0);
  }
}
