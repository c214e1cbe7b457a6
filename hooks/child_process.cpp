// Implements hooks/child_process.hpp with posix_spawn, which on glibc reports a failed exec
// as an error code instead of leaving a child behind.
#include "hooks/child_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace cobrador::hooks {

namespace {

struct Pipe {
  UniqueFd read;
  UniqueFd write;
};

Result<Pipe> make_pipe() {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0)
    return make_error(std::string("cannot create a pipe: ") + std::strerror(errno));
  return Pipe{UniqueFd(fds[0]), UniqueFd(fds[1])};
}

Status write_all(int fd, const std::string& data) {
  std::size_t written = 0;
  while (written < data.size()) {
    const auto n = ::write(fd, data.data() + written, data.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return make_error(std::string("cannot write the program's stdin: ") + std::strerror(errno));
    written += static_cast<std::size_t>(n);
  }
  return Ok{};
}

// posix_spawn's C objects, destroyed on every path.
struct SpawnSetup {
  SpawnSetup() {
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attributes);
  }
  ~SpawnSetup() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;

  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attributes;
};

void prepare(SpawnSetup& setup, int in, int out, int err) {
  posix_spawn_file_actions_adddup2(&setup.actions, in, STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&setup.actions, out, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&setup.actions, err, STDERR_FILENO);
  // The daemon's sockets and database must not leak into an operator's script.
  posix_spawn_file_actions_addclosefrom_np(&setup.actions, 3);
  // A daemon may ignore SIGPIPE or block signals; an ignored signal would survive exec.
  sigset_t defaults;
  sigemptyset(&defaults);
  for (const int sig : {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGCHLD, SIGQUIT}) sigaddset(&defaults, sig);
  sigset_t empty;
  sigemptyset(&empty);
  posix_spawnattr_setsigdefault(&setup.attributes, &defaults);
  posix_spawnattr_setsigmask(&setup.attributes, &empty);
  posix_spawnattr_setpgroup(&setup.attributes, 0);
  posix_spawnattr_setflags(&setup.attributes,
                           POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP);
}

}  // namespace

UniqueFd& UniqueFd::operator=(UniqueFd&& other) noexcept {
  if (this != &other) {
    reset();
    fd_ = other.release();
  }
  return *this;
}

int UniqueFd::release() noexcept {
  const int fd = fd_;
  fd_ = -1;
  return fd;
}

void UniqueFd::reset() noexcept {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

Child::~Child() {
  if (pid_ <= 0) return;
  ::kill(-pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
}

pid_t Child::release() noexcept {
  const pid_t pid = pid_;
  pid_ = -1;
  return pid;
}

Result<Child> spawn_child(const std::vector<std::string>& argv, const std::string& input,
                          const std::vector<std::string>& env) {
  if (argv.empty()) return make_error("no program to run");
  if (input.size() > max_stdin_bytes) return make_error("the program's stdin would exceed 32 KiB");
  auto in = make_pipe();
  auto out = make_pipe();
  auto err = make_pipe();
  if (!in) return in.error();
  if (!out) return out.error();
  if (!err) return err.error();
  if (auto written = write_all(in->write.get(), input); !written) return written.error();
  in->write.reset();  // the program sees end of input after the payload

  SpawnSetup setup;
  prepare(setup, in->read.get(), out->write.get(), err->write.get());
  std::vector<char*> args;
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  std::vector<char*> environment;
  for (const auto& entry : env) environment.push_back(const_cast<char*>(entry.c_str()));
  environment.push_back(nullptr);
  pid_t pid = -1;
  const int rc =
      posix_spawn(&pid, argv[0].c_str(), &setup.actions, &setup.attributes, args.data(), environment.data());
  if (rc != 0) return make_error("cannot run " + argv[0] + ": " + std::strerror(rc));
  return Child(pid, std::move(out->read), std::move(err->read));
}

}  // namespace cobrador::hooks
