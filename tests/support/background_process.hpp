// A real child process the test does not wait for: started with extra environment variables,
// its stdout and stderr written to a file, and killed (SIGKILL) when the test says so or when
// this object goes away, so that no child outlives its test.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cobrador::testing {

class BackgroundProcess {
 public:
  BackgroundProcess(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
                    const std::filesystem::path& output);
  ~BackgroundProcess();
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;

  // SIGKILL, then reaps it. Returns false if it had already ended by itself.
  bool kill_now();
  // Its exit code once it ends within `limit` (128 + signal if a signal ended it).
  std::optional<int> wait_for(std::chrono::milliseconds limit);
  bool running();
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  std::optional<int> exit_code_;
};

}  // namespace cobrador::testing
