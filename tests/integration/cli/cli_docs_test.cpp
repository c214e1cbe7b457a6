// The shell completion and the man pages the programs write of themselves (`--generate`,
// daemon/docs/cli_docs.hpp; issue 20, point 6): bash completes a real command line from the
// script, the man pages format without a warning under groff, and every command is in them.
#include <catch2/catch.hpp>

#include "integration/site/cli_site.hpp"
#include "support/process.hpp"

using namespace cobrador;
using namespace cobrador::testing;

namespace cli_docs_test {

std::string generate(const char* program, const std::string& what) {
  const auto run = run_process({program, "--generate", what});
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  return run.out;
}

// What bash's completion offers for `cobradorctl WORDS... CURRENT`.
std::string bash_completes(const CliSite& site, const std::string& script, const std::string& words,
                           int cword) {
  const auto file = site.file("cobradorctl.bash", script);
  const auto run =
      run_process({"/bin/bash", "-c",
                   "source " + file + "; COMP_WORDS=(" + words + "); COMP_CWORD=" + std::to_string(cword) +
                       "; _cobradorctl; printf '%s\\n' \"${COMPREPLY[@]}\""});
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  return run.out;
}

TEST_CASE("bash completes cobradorctl's commands and options from the generated script", "[cli]") {
  CliSite site;
  const auto script = generate(COBRADORCTL_PATH, "bash");
  const auto top = bash_completes(site, script, "cobradorctl ''", 1);
  for (const auto* command : {"import\n", "walk\n", "bank\n", "db\n", "--json\n", "--config\n", "--help\n"})
    CHECK_THAT(top, Catch::Contains(command));
  CHECK(bash_completes(site, script, "cobradorctl bank ''", 2) == "import\nplace\n--help\n");
  CHECK(bash_completes(site, script, "cobradorctl -c x.yaml bank import f.xml --enc", 6) == "--encoding\n");
  // Hidden: --generate is for the build, not offered.
  CHECK(top.find("--generate") == std::string::npos);
}

TEST_CASE("zsh and fish completion name every command", "[cli]") {
  const auto zsh = generate(COBRADORCTL_PATH, "zsh");
  CHECK_THAT(zsh, Catch::StartsWith("#compdef cobradorctl\n"));
  CHECK_THAT(zsh, Catch::Contains("'cobradorctl bank import' '--help --source --encoding'"));
  const auto fish = generate(COBRADORCTL_PATH, "fish");
  CHECK_THAT(
      fish, Catch::Contains("complete -c cobradorctl -f -n '__fish_seen_subcommand_from bank' -a 'import' -d "
                            "'import a camt.053/054, CNAB 240 or CSV statement'"));
  CHECK_THAT(fish, Catch::Contains("complete -c cobradorctl -l json -d 'print results as JSON for scripts'"));
}

TEST_CASE("the man pages format cleanly and list every command", "[cli]") {
  CliSite site;
  for (const auto& [program, section] : {std::pair{COBRADORCTL_PATH, "1"}, std::pair{COBRADORD_PATH, "8"}}) {
    const auto page = site.file("page.man", generate(program, "man"));
    // -ww: every warning; -z: no output, the warnings alone on stderr.
    const auto formatted = run_process({"/usr/bin/groff", "-man", "-Tutf8", "-ww", "-z", page});
    INFO(program << "\n" << formatted.err);
    CHECK(formatted.exit_code == 0);
    CHECK(formatted.err.empty());
    const auto text = read_file(page);
    CHECK_THAT(text, Catch::StartsWith(".TH COBRADOR"));
    CHECK_THAT(text, Catch::Contains(std::string(" ") + section + " \"\" \"cobrador "));
  }
  const auto ctl = generate(COBRADORCTL_PATH, "man");
  CHECK_THAT(ctl, Catch::Contains(".SS \"bank import \\fIfile\\fR\""));
  CHECK_THAT(ctl, Catch::Contains("\\fB\\-\\-encoding\\fR \\fIvalue\\fR"));
  CHECK_THAT(ctl, Catch::Contains(".SS \"db copy\""));
}

}  // namespace cli_docs_test
