// Runs a program as a real child process and collects its exit code and output, for tests
// of cobradorctl and cobradord as users run them.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace cobrador::testing {

struct ProcessResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs argv[0] with arguments, extra environment variables, and `input` on stdin.
ProcessResult run_process(const std::vector<std::string>& argv,
                          const std::map<std::string, std::string>& env = {}, const std::string& input = "");

}  // namespace cobrador::testing
