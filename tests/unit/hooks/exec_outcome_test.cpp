#include <sys/wait.h>

#include <catch2/catch.hpp>

#include "hooks/exec_panel.hpp"

using namespace cobrador::hooks;
using std::chrono::milliseconds;

namespace {

Outcome exited(int code, std::string_view out = "", std::string_view err = "",
               PanelCall::Kind kind = PanelCall::Kind::suspend) {
  return interpret_exit(kind, W_EXITCODE(code, 0), false, milliseconds(1000), out, err);
}

}  // namespace

// Exit 0 is done, 75 is retry, other codes are failed with the last line of stderr.
TEST_CASE("exec maps exit codes to outcomes", "[hooks]") {
  CHECK(exited(0).kind == Outcome::Kind::done);
  const auto later = exited(75, "", "router busy\n");
  CHECK(later.kind == Outcome::Kind::retry);
  CHECK(later.detail == "exit 75 (temporary failure): router busy");
  const auto refused = exited(3, "", "starting\nno such subscriber: ana\n\n");
  CHECK(refused.kind == Outcome::Kind::failed);
  CHECK(refused.detail == "exit 3: no such subscriber: ana");
  CHECK(exited(1).detail == "exit 1");
}

// A timeout is retried whatever the status; death by a signal we did not send is failed.
TEST_CASE("exec maps timeouts and signals", "[hooks]") {
  const auto slow =
      interpret_exit(PanelCall::Kind::suspend, W_EXITCODE(0, SIGKILL), true, milliseconds(250), "", "");
  CHECK(slow.kind == Outcome::Kind::retry);
  CHECK(slow.detail == "timed out after 250 ms; the program's process group was killed");
  const auto crashed =
      interpret_exit(PanelCall::Kind::suspend, W_EXITCODE(0, SIGSEGV), false, milliseconds(250), "", "");
  CHECK(crashed.kind == Outcome::Kind::failed);
  CHECK(crashed.detail == "killed by signal 11");
}

// A successful backup reports the last line of stdout as where the backup went.
TEST_CASE("exec reads a backup location from stdout", "[hooks]") {
  const auto backup = exited(0, "working...\n/backups/ana.tar.gz\n", "", PanelCall::Kind::backup);
  CHECK(backup.location == "/backups/ana.tar.gz");
  CHECK(exited(0, "/backups/ana.tar.gz\n").location.empty());
}

// last_line skips trailing blank lines and trims the line.
TEST_CASE("exec last_line finds the last non-blank line", "[hooks]") {
  CHECK(last_line("one\ntwo\n") == "two");
  CHECK(last_line("one\n  two  \r\n\n \n") == "two");
  CHECK(last_line("single") == "single");
  CHECK(last_line("\n\n") == "");
  CHECK(last_line("") == "");
}
