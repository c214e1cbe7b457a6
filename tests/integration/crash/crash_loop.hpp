// What the crash-loop tests share (issue 19): an installation in a folder on either store, and a
// loop that starts a real cobradorctl, SIGKILLs it after a random delay, and lets the test look
// at the database after each kill. The delays come from a seeded generator; the seed is in
// each failure's INFO, and COBRADOR_CRASH_SEED=<seed> replays a run (COBRADOR_CRASH_KILLS=<n>
// changes how many kills, 20 by default).
#pragma once

#include <chrono>
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "support/background_process.hpp"
#include "support/process.hpp"
#include "support/sanitized.hpp"
#include "support/temp_dir.hpp"
#include "support/test_database.hpp"

namespace cobrador::testing::crash_loop {

inline std::uint64_t seed() {
  if (const char* given = std::getenv("COBRADOR_CRASH_SEED"); given && *given) {
    return std::strtoull(given, nullptr, 10);
  }
  return (static_cast<std::uint64_t>(std::random_device{}()) << 32) ^ std::random_device{}();
}

inline int kills() {
  if (const char* given = std::getenv("COBRADOR_CRASH_KILLS"); given && *given) return std::atoi(given);
  return 20;
}

// An installation: cobrador.yaml naming a fresh database (support/test_database.hpp), the
// policy given, etc/templates, and whatever else `extra_config` adds.
class Site {
 public:
  explicit Site(const std::string& policy, const std::string& extra_config = "") {
    dir_.write("policy.yaml", policy);
    std::filesystem::create_directories(dir_ / "var");
    database_ = fresh_database(dir_ / "var");
    config_ =
        dir_.write("cobrador.yaml", fmt::format("database: \"{}\"\npolicy: policy.yaml\ntemplates: {}/etc/"
                                                "templates\n{}",
                                                database_, COBRADOR_SOURCE_DIR, extra_config))
            .string();
  }

  std::vector<std::string> argv(std::vector<std::string> args) const {
    args.insert(args.begin(), {COBRADORCTL_PATH, "-c", config_});
    return args;
  }

  ProcessResult ctl(std::vector<std::string> args, const std::string& now) const {
    return run_process(argv(std::move(args)), {{"COBRADOR_NOW", now}});
  }

  // Imports a CSV file through cobradorctl, which must succeed.
  void import(const std::string& kind, const std::string& csv, const std::string& now) const {
    const auto result = ctl({"import", kind, dir_.write(kind + "-seed.csv", csv).string()}, now);
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
  }

  std::string value(const std::string& sql) const { return query(database_, sql).at(0).at(0); }
  long long number(const std::string& sql) const { return std::stoll(value(sql)); }

  const TempDir& dir() const { return dir_; }
  const std::string& database() const { return database_; }
  const std::string& config() const { return config_; }

 private:
  TempDir dir_;
  std::string database_;
  std::string config_;
};

// What the kills did, for the INFO of a failure and for the report.
struct Tally {
  int killed = 0;    // still running when the SIGKILL came
  int finished = 0;  // had ended by itself (exit code 0) before it
  std::string delays;
};

// Under ASan the same work takes ten times as long or more: the loops do a quarter of it
// (sized()) and draw their kills from a window four times as long (kill_loop).
inline int sized(int release_count) { return kSanitized ? release_count / 4 : release_count; }

// Runs `argv` (with the environment `env_for(i)` gives run i) `kills()` times, each time
// killing it (SIGKILL) after a delay drawn uniformly from [0, window]; `after_kill(i)` looks
// at the database after each. A run that ends by itself before its kill must have succeeded,
// and the window shrinks to 90% of the time it took, so that the kills after it land while
// the work is still going on whatever the machine's speed.
inline Tally kill_loop(std::mt19937_64& random, const Site& site, const std::vector<std::string>& argv,
                       const std::function<std::map<std::string, std::string>(int)>& env_for,
                       std::chrono::milliseconds window, const std::function<void(int)>& after_kill) {
  Tally tally;
  if (kSanitized) window *= 4;
  for (int i = 0; i < kills(); ++i) {
    const auto delay =
        std::chrono::milliseconds(std::uniform_int_distribution<long>(0, window.count())(random));
    tally.delays += (tally.delays.empty() ? "" : " ") + std::to_string(delay.count());
    const auto log = site.dir() / fmt::format("run{}.log", i);
    {
      const auto started = std::chrono::steady_clock::now();
      BackgroundProcess run(argv, env_for(i), log);
      while (std::chrono::steady_clock::now() - started < delay && run.running()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
      if (run.kill_now()) {
        ++tally.killed;
      } else {
        const auto took =
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
        const auto exit_code = run.wait_for(std::chrono::seconds(0));
        INFO("run " << i << " ended by itself after " << took.count() << " ms: " << read_file(log));
        REQUIRE(exit_code == 0);
        ++tally.finished;
        tally.delays += "(ended)";
        window = std::max(std::chrono::milliseconds(20), took * 9 / 10);
      }
    }
    after_kill(i);
  }
  return tally;
}

}  // namespace cobrador::testing::crash_loop
