// Implements the process's name from the host name, the pid and the program's name.
#include "util/process_name.hpp"

#include <errno.h>  // program_invocation_short_name (GNU)
#include <unistd.h>

#include <array>

#include <fmt/format.h>

namespace cobrador {

std::string host_and_pid() {
  std::array<char, 256> host{};
  if (gethostname(host.data(), host.size() - 1) != 0) host[0] = '\0';
  return fmt::format("{}:{}", host.data(), getpid());
}

std::string process_name() { return fmt::format("{} {}", program_invocation_short_name, host_and_pid()); }

}  // namespace cobrador
