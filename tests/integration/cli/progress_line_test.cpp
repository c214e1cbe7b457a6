// The progress line of long cobradorctl work (issue 20, point 6) under a real pseudo-terminal:
// drawn on stderr when it is a terminal, wiped before the result, and absent through a pipe or
// with --json.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <pty.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include "integration/site/cli_site.hpp"
#include "integration/sources/whmcs_standin.hpp"

using namespace cobrador;
using namespace cobrador::testing;

extern char** environ;

namespace progress_line_test {

struct TerminalRun {
  int exit_code = -1;
  std::string terminal;  // what the program wrote on its stderr, a terminal
  std::string out;       // its stdout, a file
};

// Runs cobradorctl with stderr on a fresh pseudo-terminal and stdout in a file.
TerminalRun run_on_terminal(const CliSite& site, std::vector<std::string> args) {
  args.insert(args.begin(), {COBRADORCTL_PATH, "-c", site.config});
  int controller = -1;
  int terminal = -1;
  REQUIRE(openpty(&controller, &terminal, nullptr, nullptr, nullptr) == 0);
  const auto out_path = (site.dir / "stdout.txt").string();
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, terminal, STDERR_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0600);
  posix_spawn_file_actions_addclose(&actions, controller);
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  pid_t pid = -1;
  REQUIRE(posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ) == 0);
  posix_spawn_file_actions_destroy(&actions);
  close(terminal);
  TerminalRun run;
  char buffer[4096];
  // Until the program's side closes (EIO on Linux once no process holds the terminal).
  for (ssize_t n; (n = read(controller, buffer, sizeof buffer)) > 0;)
    run.terminal.append(buffer, static_cast<std::size_t>(n));
  close(controller);
  int status = 0;
  waitpid(pid, &status, 0);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  run.out = read_file(out_path);
  return run;
}

std::string customers(int count) {
  std::string csv = "id,name\n";
  for (int i = 1; i <= count; ++i) csv += fmt::format("c{0},Customer {0}\n", i);
  return csv;
}

TEST_CASE("import draws its progress on a terminal and wipes it before the result", "[cli]") {
  CliSite site;
  const auto file = site.file("customers.csv", customers(3000));
  const auto run = run_on_terminal(site, {"import", "customers", file});
  INFO(run.terminal << run.out);
  REQUIRE(run.exit_code == 0);
  CHECK_THAT(run.terminal, Catch::Contains("\r\x1b[Kimport customers: 3,000 of 3,000 rows (100%)"));
  // Wiped at the end: the last thing on the terminal is the erase, and the result is whole.
  CHECK_THAT(run.terminal, Catch::EndsWith("\r\x1b[K"));
  CHECK(run.out == file + ": 3000 rows: 3000 new, 0 updated, 0 unchanged\n");
}

TEST_CASE("walk and bank import draw their progress on a terminal", "[cli]") {
  CliSite site;
  REQUIRE(site.run({"import", "customers", site.file("customers.csv", customers(5))}).exit_code == 0);
  REQUIRE(site.run({"import", "invoices",
                    site.file("invoices.csv",
                              "id,customer_id,amount,currency,due_on\ni1,c1,49.90,BRL,2026-02-01\n"
                              "i2,c2,49.90,BRL,2026-02-01\n")})
              .exit_code == 0);
  const auto walk = run_on_terminal(site, {"walk", "--date", "2026-02-05"});
  INFO(walk.terminal << walk.out);
  REQUIRE(walk.exit_code == 0);
  CHECK_THAT(walk.terminal, Catch::Contains("walk 2026-02-05: 2 of 2 customers (100%)"));

  const auto statement =
      site.file("statement.csv", "date,amount,currency,reference\n2026-02-06,49.90,BRL,i1\n");
  const auto bank = run_on_terminal(site, {"bank", "import", statement});
  INFO(bank.terminal << bank.out);
  REQUIRE(bank.exit_code == 0);
  CHECK_THAT(bank.terminal, Catch::Contains(fmt::format("bank import: {0} of {0} bytes (100%)",
                                                        std::filesystem::file_size(statement))));
}

TEST_CASE("sync draws the calls it made on a terminal", "[cli]") {
  WhmcsStandIn whmcs;
  const CliSite site(
      fmt::format("sources:\n  w1: {{ type: whmcs, url: \"{}\", identifier_file: w.id, "
                  "secret_file: w.secret, page_size: 2 }}\n",
                  whmcs.url()));
  site.file("w.id", std::string(WhmcsStandIn::kIdentifier) + "\n");
  site.file("w.secret", std::string(WhmcsStandIn::kSecret) + "\n");
  const auto run = run_on_terminal(site, {"sync"});
  INFO(run.terminal << run.out);
  REQUIRE(run.exit_code == 0);
  CHECK_THAT(run.terminal, Catch::Contains("\r\x1b[Ksync w1: 1 calls"));
  CHECK_THAT(run.terminal, Catch::EndsWith("\r\x1b[K"));
  CHECK_THAT(run.out, Catch::StartsWith("w1: 3 customers, 5 services, 7 invoices read in 15 calls"));
}

TEST_CASE("no progress line through a pipe or with --json", "[cli]") {
  CliSite site;
  const auto file = site.file("customers.csv", customers(3000));
  const auto piped = site.run({"import", "customers", file});
  REQUIRE(piped.exit_code == 0);
  CHECK(piped.err.empty());

  const auto json = run_on_terminal(site, {"--json", "import", "customers", file});
  INFO(json.terminal);
  REQUIRE(json.exit_code == 0);
  CHECK(json.terminal.find("rows (") == std::string::npos);
  CHECK(json.terminal.find('\r') == std::string::npos);
}

}  // namespace progress_line_test
