// Implements daemon/source_passes.hpp.
#include "daemon/source_passes.hpp"

#include <stdexcept>

#include <fmt/format.h>

#include "sources/fetch.hpp"
#include "sources/sync.hpp"
#include "util/clock.hpp"
#include "util/log.hpp"

namespace cobrador::daemon {

std::vector<std::string> SourcePasses::due(const config::Config& config, Clock::time_point now) const {
  std::vector<std::string> names;
  for (const auto& [name, source] : config.sources) {
    const auto last = last_run_.find(name);
    if (last == last_run_.end() || now - last->second >= source.interval) names.push_back(name);
  }
  return names;
}

std::vector<std::string> SourcePasses::run(store::Store& store, const policy::Policy& policy,
                                           const config::Config& config,
                                           const std::vector<std::string>& names) {
  std::vector<std::string> failures;
  for (const auto& name : names) {
    last_run_[name] = Clock::now();
    const auto pass =
        sources::sync_source(store, policy, config, name, clock::now(), false, sources::http_fetch());
    if (pass.ok()) {
      log::info("sync {}: {} rows read in {} calls, {} changed ({} ms)", name, pass.rows_read, pass.calls,
                pass.rows_changed, pass.took.count());
    } else {
      log::error("sync {}: {}", name, pass.error);
      failures.push_back(pass.error);
    }
  }
  return failures;
}

void SourcePasses::before_walk(store::Store& store, const policy::Policy& policy,
                               const config::Config& config) {
  std::vector<std::string> names;
  for (const auto& [name, source] : config.sources) names.push_back(name);
  const auto failures = run(store, policy, config, names);
  if (!failures.empty())
    throw std::runtime_error(fmt::format("the walk waits for the book: {}", fmt::join(failures, "; ")));
}

}  // namespace cobrador::daemon
