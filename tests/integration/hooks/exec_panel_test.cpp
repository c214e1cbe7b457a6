#include <sys/stat.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <catch2/catch.hpp>

#include <fstream>
#include <set>
#include <thread>

#include <cstdlib>
#include <filesystem>
#include <sstream>
#include "hooks/event_payload.hpp"
#include "hooks/panel_factory.hpp"
#include "integration/hooks/run_call.hpp"

using namespace cobrador;
using namespace cobrador::testing;
using hooks::Outcome;
using hooks::PanelCall;
using std::chrono::milliseconds;

namespace {

// A scratch folder for the hook script and what it writes. (support/temp_dir.cpp builds its
// mkdtemp template from the iterators of two different temporaries, which fails at random;
// this stays independent of it until that is fixed.)
class ScratchDir {
 public:
  ScratchDir() {
    std::string name = (std::filesystem::temp_directory_path() / "cobrador-exec-XXXXXX").string();
    if (!::mkdtemp(name.data())) throw std::runtime_error("mkdtemp failed");
    path_ = name;
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }
  std::filesystem::path write(const std::string& name, const std::string& content) const {
    std::ofstream(path_ / name, std::ios::binary) << content;
    return path_ / name;
  }

 private:
  std::filesystem::path path_;
};

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

struct ExecFixture {
  ExecFixture(const std::string& script, milliseconds timeout = milliseconds(2000)) {
    const auto path = dir.write("hook.sh", "#!/bin/sh\n" + script);
    ::chmod(path.c_str(), 0755);
    hooks::PanelConfig config;
    config.type = "exec";
    config.command = path.string();
    config.timeout = timeout;
    auto made = hooks::make_panel("router", config, http, io, fixed_now);
    REQUIRE(made);
    panel = std::move(made).value();
  }

  Outcome run(const PanelCall& call) { return run_call(*panel, call, io); }
  std::string file(const std::string& name) const { return read_file(dir / name); }

  ScratchDir dir;
  boost::asio::io_context io;
  net::HttpClient http{io};
  std::unique_ptr<hooks::Panel> panel;
};

// Whether a process is gone: no /proc entry, or a zombie waiting for its new parent to reap it.
bool is_dead(const std::string& pid) {
  std::ifstream stat("/proc/" + pid + "/stat");
  if (!stat) return true;
  std::string line;
  std::getline(stat, line);
  const auto close = line.rfind(')');
  return close != std::string::npos && line.size() > close + 2 && line[close + 2] == 'Z';
}

}  // namespace

// Exit 0 is done; the program got <kind> <account> <service id> <key> and the SPEC §7 JSON on stdin.
TEST_CASE("exec runs the program with the call as arguments and json on stdin", "[hooks][exec]") {
  ExecFixture f(
      "dir=$(dirname \"$0\")\nprintf '%s\\n' \"$@\" > \"$dir/args\"\ncat > \"$dir/stdin\"\nexit 0\n");
  const auto call = sample_call(PanelCall::Kind::suspend);
  const auto outcome = f.run(call);

  CHECK(outcome.kind == Outcome::Kind::done);
  CHECK(f.file("args") == "suspend\nana\nsvc-7\n" + call.idempotency_key + "\n");
  CHECK(f.file("stdin") == hooks::event_json(call) + "\n");
}

// Exit 75 (EX_TEMPFAIL) is retried, with the last line of stderr as the reason.
TEST_CASE("exec exit 75 is a retry", "[hooks][exec]") {
  ExecFixture f("echo 'router busy, try later' >&2\nexit 75\n");
  const auto outcome = f.run(sample_call(PanelCall::Kind::suspend));
  CHECK(outcome.kind == Outcome::Kind::retry);
  CHECK(outcome.detail == "exit 75 (temporary failure): router busy, try later");
}

// Another non-zero exit is a failure whose reason is stderr's last line.
TEST_CASE("exec exit 1 is a failure with stderr's last line", "[hooks][exec]") {
  ExecFixture f("echo 'looking up ana' >&2\necho 'no such subscriber: ana' >&2\nexit 1\n");
  const auto outcome = f.run(sample_call(PanelCall::Kind::unsuspend));
  CHECK(outcome.kind == Outcome::Kind::failed);
  CHECK(outcome.detail == "exit 1: no such subscriber: ana");
}

// A program that hangs is killed with everything it started, the call is retried, and the
// io_context kept running other work meanwhile.
TEST_CASE("exec kills a hanging program at the timeout and retries", "[hooks][exec]") {
  ExecFixture f("sleep 30 &\necho $! > \"$(dirname \"$0\")/child\"\nwait\n", milliseconds(300));
  bool timer_fired = false;
  boost::asio::steady_timer other_work(f.io, milliseconds(50));
  other_work.async_wait([&](const boost::system::error_code& ec) { timer_fired = !ec; });
  const auto started = std::chrono::steady_clock::now();
  const auto outcome = f.run(sample_call(PanelCall::Kind::suspend));
  const auto took = std::chrono::steady_clock::now() - started;

  CHECK(outcome.kind == Outcome::Kind::retry);
  CHECK(outcome.detail == "timed out after 300 ms; the program's process group was killed");
  CHECK(took < milliseconds(1500));
  CHECK(timer_fired);
  auto child = f.file("child");
  while (!child.empty() && child.back() == '\n') child.pop_back();
  bool dead = false;
  for (int i = 0; i < 100 && !dead; ++i) {
    dead = is_dead(child);
    if (!dead) std::this_thread::sleep_for(milliseconds(10));
  }
  CHECK(dead);
}

// A program that closes its output and lingers is still bounded by the timeout.
TEST_CASE("exec bounds a program that closes its pipes and lingers", "[hooks][exec]") {
  ExecFixture f("exec >/dev/null 2>&1\nsleep 30\n", milliseconds(300));
  CHECK(f.run(sample_call(PanelCall::Kind::suspend)).kind == Outcome::Kind::retry);
}

// A backup's location is the last line the program printed.
TEST_CASE("exec backup reports the location printed on stdout", "[hooks][exec]") {
  ExecFixture f("echo 'packing'\necho '/srv/backups/ana-20210225.tar.gz'\n");
  const auto outcome = f.run(sample_call(PanelCall::Kind::backup));
  CHECK(outcome.kind == Outcome::Kind::done);
  CHECK(outcome.location == "/srv/backups/ana-20210225.tar.gz");
}

// A command that does not exist is a failure that names it, reported asynchronously.
TEST_CASE("exec reports a missing program as a failure", "[hooks][exec]") {
  boost::asio::io_context io;
  net::HttpClient http{io};
  hooks::PanelConfig config;
  config.type = "exec";
  config.command = "/nonexistent/cobrador-hook";
  auto panel = hooks::make_panel("router", config, http, io, fixed_now);
  REQUIRE(panel);
  const auto outcome = run_call(**panel, sample_call(PanelCall::Kind::suspend), io);
  CHECK(outcome.kind == Outcome::Kind::failed);
  CHECK(outcome.detail == "cannot run /nonexistent/cobrador-hook: No such file or directory");
}

namespace {

// Sets a variable of this process for one test, as systemd or a shell would for cobradord.
struct ExecTestVariable {
  ExecTestVariable(const char* name, const char* value) : name_(name) { ::setenv(name, value, 1); }
  ~ExecTestVariable() { ::unsetenv(name_); }
  ExecTestVariable(const ExecTestVariable&) = delete;
  ExecTestVariable& operator=(const ExecTestVariable&) = delete;

 private:
  const char* name_;
};

}  // namespace

// The program gets PATH and LANG and nothing of the daemon's environment: not the folder of
// the credentials, not a secret someone exported (a shell may add its own PWD, SHLVL and _).
TEST_CASE("exec gives the program a minimal environment", "[hooks][exec]") {
  ExecTestVariable credentials("CREDENTIALS_DIRECTORY", "/run/credentials/cobrador.service");
  ExecTestVariable secret("COBRADOR_TEST_DB_PASSWORD", "hunter2");
  ExecFixture f("/usr/bin/env > \"$(dirname \"$0\")/env.txt\"\n");
  REQUIRE(f.run(sample_call(PanelCall::Kind::suspend)).kind == Outcome::Kind::done);
  std::istringstream lines(f.file("env.txt"));
  std::set<std::string> names;
  for (std::string line; std::getline(lines, line);) {
    names.insert(line.substr(0, line.find('=')));
    if (line.rfind("PATH=", 0) == 0)
      CHECK(line == "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    if (line.rfind("LANG=", 0) == 0) CHECK(line == "LANG=C.UTF-8");
  }
  CHECK(names.count("PATH") == 1);
  CHECK(names.count("LANG") == 1);
  for (const auto& shell_own : {"PWD", "OLDPWD", "SHLVL", "_"}) names.erase(shell_own);
  CHECK(names == std::set<std::string>{"LANG", "PATH"});
}

// An account name outside the safe set fails the action with the reason, and the program
// is never started (it would have written ran.txt).
TEST_CASE("exec refuses an unsafe account name before running anything", "[hooks][exec]") {
  ExecFixture f("echo ran > \"$(dirname \"$0\")/ran.txt\"\n");
  for (const auto& account :
       {std::string("-rf"), std::string("ana; reboot"), std::string("ana\nroot"), std::string(256, 'a')}) {
    auto call = sample_call(PanelCall::Kind::suspend);
    call.account = account;
    const auto outcome = f.run(call);
    CHECK(outcome.kind == Outcome::Kind::failed);
    CHECK(outcome.detail.rfind("the account name ", 0) == 0);
    CHECK_FALSE(std::filesystem::exists(f.dir / "ran.txt"));
  }
  auto fine = sample_call(PanelCall::Kind::suspend);
  fine.account = "ana.silva+site_2@example.com";
  CHECK(f.run(fine).kind == Outcome::Kind::done);
  CHECK(std::filesystem::exists(f.dir / "ran.txt"));
}
