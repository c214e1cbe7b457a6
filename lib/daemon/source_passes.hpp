// The daemon's sync passes (docs/connectors.md): every source under `sources:` is read every
// `interval`, and all of them just before each walk, so that the walk never decides on a book
// older than one interval. A pass runs on the daemon's worker thread, with its connection.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "policy/policy.hpp"
#include "store/store.hpp"

namespace cobrador::daemon {

class SourcePasses {
 public:
  using Clock = std::chrono::steady_clock;

  // The sources whose interval has passed since their last pass (every one at first).
  std::vector<std::string> due(const config::Config& config, Clock::time_point now) const;

  // Runs a pass of each of `names`, logging each; the messages of those that failed.
  std::vector<std::string> run(store::Store& store, const policy::Policy& policy,
                               const config::Config& config, const std::vector<std::string>& names);

  // Runs every source: the walk goes ahead only on a book just read. An error names the
  // sources that could not be read.
  void before_walk(store::Store& store, const policy::Policy& policy, const config::Config& config);

 private:
  std::map<std::string, Clock::time_point> last_run_;  // the worker thread's alone
};

}  // namespace cobrador::daemon
