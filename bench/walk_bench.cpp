// The walk benchmark (issue: foundation). Three verbs, so that each measured walk runs in a
// process of its own and its peak RSS is the walk's alone:
//   walk_bench prepare DIR     generate the book and run the days before the measured ones
//   walk_bench walk DB DAY     walk one day on DB (a copy) and print one JSON line
// bench/run.sh copies the prepared files, runs the walks several times and reports medians.
#include <sys/resource.h>

#include <chrono>
#include <filesystem>
#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "bench/book_generator.hpp"
#include "policy/policy.hpp"
#include "store/backends/open_store.hpp"
#include "store/checkpointer.hpp"
#include "store/store.hpp"
#include "util/allocator.hpp"
#include "walk/walk.hpp"

using namespace cobrador;

namespace {

policy::Policy load(const std::string& source_dir) {
  auto policy = policy::load_policy(source_dir + "/etc/policy.yaml");
  if (!policy) throw std::runtime_error(policy.error().message);
  return *policy;
}

// A dispatcher that always succeeds, so that fair-warning rules see delivered notices.
void deliver_all(store::Store& store, Instant at) {
  store::ActionFilter pending;
  pending.state = ActionState::pending;
  store.begin();
  for (const auto& action : store.actions(pending))
    store.complete_action(action.id, std::max(at, action.next_attempt_at), "250 OK");
  store.commit();
}

void walk_days(store::Store& store, const policy::Policy& policy, Date from, Date to) {
  for (Date day = from; day <= to; day += date::days{1}) {
    const auto report = walk::walk(store, policy, policy.instant_at(day, policy.run_at_minute));
    deliver_all(store, policy.instant_at(day, policy.run_at_minute + 5));
    std::cerr << fmt::format("prepared {}: {} evaluated, {} actions\n", format_date(day), report.evaluated,
                             report.actions_queued);
  }
}

int prepare(const std::string& dir, const std::string& source_dir) {
  namespace fs = std::filesystem;
  fs::create_directories(dir);
  const auto busy = dir + "/book-2026-06-03.db";
  fs::remove(busy);
  bench::generate_book(busy, {});
  const auto policy = load(source_dir);
  {
    auto store = store::open_store(busy);
    walk_days(*store, policy, *parse_date("2026-05-20"), *parse_date("2026-06-03"));
  }
  const auto quiet = dir + "/book-2026-06-15.db";
  fs::copy_file(busy, quiet, fs::copy_options::overwrite_existing);
  auto store = store::open_store(quiet);
  walk_days(*store, policy, *parse_date("2026-06-04"), *parse_date("2026-06-15"));
  return 0;
}

int walk_one(const std::string& db, const std::string& day, const std::string& source_dir) {
  const auto policy = load(source_dir);
  // As the daemon's walk: the log copied by a connection and thread of their own.
  auto opened = store::open_store_with_upkeep(db);
  auto& store = opened.store;
  store::CheckpointsAside checkpoints(opened.upkeep, store::open_upkeep(db));
  walk::WalkOptions options;
  options.progress = checkpoints.progress();
  const Instant now = policy.instant_at(*parse_date(day), policy.run_at_minute);
  const auto started = std::chrono::steady_clock::now();
  const auto report = walk::walk(*store, policy, now, options);
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::cout << nlohmann::json{{"day", day},
                              {"seconds", took.count()},
                              {"evaluated", report.evaluated},
                              {"actions", report.actions_queued},
                              {"stages_run", report.stages_run},
                              {"max_rss_kb", usage.ru_maxrss}}
                   .dump()
            << '\n';
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  tune_allocator();
  const std::string source_dir = COBRADOR_SOURCE_DIR;
  const std::string verb = argc > 1 ? argv[1] : "";
  if (verb == "prepare" && argc == 3) return prepare(argv[2], source_dir);
  if (verb == "walk" && argc == 4) return walk_one(argv[2], argv[3], source_dir);
  std::cerr << "usage: walk_bench prepare DIR | walk_bench walk DB YYYY-MM-DD\n";
  return 2;
}
