// Starting the operator's program for the `exec` adapter: no shell, its own process group
// (so that a timeout can kill everything it started), a small stdin given up front, and
// pipes for stdout and stderr.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "util/result.hpp"

namespace cobrador::hooks {

// An owned file descriptor, closed on destruction.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() { reset(); }
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;

  int get() const { return fd_; }
  int release() noexcept;
  void reset() noexcept;

 private:
  int fd_ = -1;
};

// A started program. Until someone takes the process over with release(), destroying this
// kills the program's process group and reaps it, so no path leaves a stray or a zombie.
class Child {
 public:
  Child(pid_t pid, UniqueFd out, UniqueFd err)
      : stdout_read(std::move(out)), stderr_read(std::move(err)), pid_(pid) {}
  ~Child();
  Child(Child&& other) noexcept
      : stdout_read(std::move(other.stdout_read)),
        stderr_read(std::move(other.stderr_read)),
        pid_(other.release()) {}
  Child& operator=(Child&&) = delete;
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  pid_t pid() const { return pid_; }  // also the id of its process group
  // The caller now reaps the process; this object will not touch it again.
  pid_t release() noexcept;

  UniqueFd stdout_read;
  UniqueFd stderr_read;

 private:
  pid_t pid_ = -1;
};

// The most stdin this can hand over: it is written into the pipe before the program starts,
// so it must fit the pipe's buffer (64 KiB on Linux) without anyone reading.
inline constexpr std::size_t max_stdin_bytes = 32 * 1024;

// Starts argv[0] (an absolute path) with argv as its arguments, `input` on stdin and `env`
// ("NAME=value" entries) as its whole environment. The program gets default signal
// dispositions, an empty signal mask and no other open fds.
Result<Child> spawn_child(const std::vector<std::string>& argv, const std::string& input,
                          const std::vector<std::string>& env);

}  // namespace cobrador::hooks
