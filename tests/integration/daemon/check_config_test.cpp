// `cobradord --check-config` run as an operator runs it, on files in a temporary folder: a
// stage that would ask a panel for a suspension mode its adapter cannot carry out (issue 18,
// point 6) fails the check, naming the stage, the kinds, the panel and its type.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include "support/has_text.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

using namespace cobrador::testing;

namespace {

// A folder with cobrador.yaml (the `panels` given), its secrets, and a policy whose one stage
// suspends with `mode`.
struct Site {
  Site(const std::string& panels, const std::string& mode) {
    dir.write("whm1.token", "WHMTOKEN\n");
    dir.write("noc.secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n");
    dir.write("cobrador.yaml",
              fmt::format("database: cobrador.db\npolicy: policy.yaml\ntemplates: {}/etc/templates\n"
                          "panels:\n{}",
                          COBRADOR_SOURCE_DIR, panels));
    dir.write("policy.yaml",
              "timezone: America/Sao_Paulo\nstages:\n  - name: cut\n    when: { days_overdue: 5 }\n"
              "    suspend: billed_services\n    mode: " +
                  mode + "\n    notify: [email]\n    template: suspended\n");
  }

  ProcessResult check() const { return run_process({COBRADORD_PATH, "--check-config", "-c", config()}); }
  std::string config() const { return (dir / "cobrador.yaml").string(); }
  std::string policy() const { return (dir / "policy.yaml").string(); }

  TempDir dir;
};

const std::string kWhm =
    "  whm1: { type: cpanel, url: \"https://whm1.example.com:2087\", user: root, "
    "token_file: whm1.token";
const std::string kNoc =
    "  noc: { type: webhook, url: \"https://noc.example.com/cobrador\", secret_file: noc.secret }\n";

}  // namespace

// A cPanel panel that declares no kinds serves every kind, phones too: asking outgoing_only
// for phones fails the check, with exit code 1 and the reason.
TEST_CASE("check-config fails a stage asking a cpanel panel for outgoing_only", "[daemon]") {
  const Site site(kWhm + " }\n" + kNoc, "{phone: outgoing_only, internet: full}");
  const auto result = site.check();
  CHECK(result.exit_code == 1);
  CHECK(result.err ==
        fmt::format("{}: stage 'cut': mode outgoing_only for phone, but panel 'whm1' (cpanel) "
                    "declares no kinds, so it serves every kind, and can only suspend fully; give "
                    "phone mode full in this stage, or leave phone out of the kinds the panel "
                    "serves (panels.whm1.kinds in {})\n",
                    site.policy(), site.config()));
  CHECK(result.out.empty());
}

// Declared kinds are taken at their word: a panel that serves phones is refused, one that
// serves only hosting and vps is not concerned, and webhook panels pass any mode on.
TEST_CASE("check-config takes a panel's declared kinds into account", "[daemon]") {
  const Site phones(kWhm + ", kinds: [hosting, phone] }\n" + kNoc, "outgoing_only");
  const auto refused = phones.check();
  CHECK(refused.exit_code == 1);
  CHECK(has(refused.err,
            "stage 'cut': mode outgoing_only for hosting, phone, but panel 'whm1' (cpanel) serves "
            "hosting, phone and can only suspend fully"));

  const Site hosting(kWhm + ", kinds: [hosting, vps] }\n" + kNoc, "{phone: outgoing_only}");
  const auto valid = hosting.check();
  INFO(valid.err);
  CHECK(valid.exit_code == 0);
  CHECK(valid.out == hosting.config() + ": configuration is valid\n");
}

// A kind that is not one of SPEC §3's is an error in cobrador.yaml at its line and column.
TEST_CASE("check-config refuses an unknown kind of service for a panel", "[daemon]") {
  const Site site(kWhm + ", kinds: [hosting, fax] }\n", "full");
  const auto result = site.check();
  CHECK(result.exit_code == 1);
  CHECK(has(result.err, site.config() +
                            ":5:106: panels.whm1.kinds: 'fax' is not a kind of service (hosting, vps, "
                            "internet, phone, other)"));
}

// A WHMCS panel signs in with two secrets, the credential's identifier and its secret: the
// check reads both, and names the one that cannot be read.
TEST_CASE("check-config reads both secrets of a whmcs panel", "[daemon]") {
  const std::string whmcs =
      "  billing: { type: whmcs, url: \"https://billing.example.com\", identifier_file: whmcs.identifier, "
      "secret_file: whmcs.secret }\n";
  Site site(whmcs, "full");
  site.dir.write("whmcs.secret", "S3cr3t\n");
  const auto missing = site.check();
  CHECK(missing.exit_code == 1);
  CHECK(has(missing.err, site.config() + ": panels.billing.identifier_file: "));

  site.dir.write("whmcs.identifier", "D4j1dKYE3g40VROOPCGyJ9zRwPz15jc4\n");
  const auto valid = site.check();
  INFO(valid.err);
  CHECK(valid.exit_code == 0);
}
