// Implements the daemon's event loop: start-up as a list of steps, then timers and signals.
#include "daemon/runtime.hpp"

#include <algorithm>

#include <systemd/sd-daemon.h>

#include <fmt/format.h>

#include "daemon/check_config.hpp"
#include "daemon/open_database.hpp"
#include "daemon/scheduler.hpp"
#include "store/checkpointer.hpp"
#include "util/clock.hpp"
#include "util/log.hpp"
#include "walk/walk.hpp"

namespace cobrador::daemon {

Runtime::Runtime(std::string config_path)
    : config_path_(std::move(config_path)),
      signals_(io_),
      walk_timer_(io_),
      watchdog_timer_(io_),
      sync_timer_(io_) {}

Runtime::~Runtime() {
  if (walker_.joinable()) walker_.join();
}

void Runtime::notify(const std::string& state) { sd_notify(0, state.c_str()); }

bool Runtime::load(std::shared_ptr<const config::Config>& config,
                   std::shared_ptr<const policy::Policy>& policy) {
  const auto problems = check_config(config_path_);
  if (!problems.empty()) {
    for (const auto& line : problems) log::error("{}", line);
    return false;
  }
  auto loaded_config = config::load_config(config_path_);
  auto loaded_policy =
      loaded_config ? policy::load_policy(loaded_config->policy) : Result<policy::Policy>(Error{});
  if (!loaded_config || !loaded_policy) return false;
  config = std::make_shared<const config::Config>(std::move(*loaded_config));
  policy = std::make_shared<const policy::Policy>(std::move(*loaded_policy));
  return true;
}

int Runtime::run() {
  // 1. Configuration, policy and templates, all valid or nothing starts.
  if (!load(config_, policy_)) return 1;
  // 2. The database, migrated.
  store_ = open_database(*config_, "");
  // 3. Signals: SIGHUP reloads, SIGTERM/SIGINT stop.
  signals_.add(SIGHUP);
  signals_.add(SIGTERM);
  signals_.add(SIGINT);
  std::function<void(const boost::system::error_code&, int)> on_signal = [&](const auto& ec, int signal) {
    if (ec) return;
    if (signal == SIGHUP)
      reload();
    else
      stop();
    if (!stopping_) signals_.async_wait(on_signal);
  };
  signals_.async_wait(on_signal);
  // 4. The components (HTTP listener, dispatcher) on the shared loop.
  for (const auto& factory : factories_) components_.push_back(factory(Services{io_, config_, policy_}));
  for (const auto& component : components_) component->start();
  // 5. Tell systemd we are ready, and keep its watchdog fed.
  const auto last = store_->last_walk();
  last_status_ = last ? fmt::format("last walk {}", format_date(last->day)) : "no walk yet";
  notify("READY=1\nSTATUS=" + last_status_);
  log::info("cobradord ready: database {}, policy {}", config_->database, config_->policy);
  keep_watchdog();
  // 6. The walk at run_at, catching up the days missed while stopped.
  schedule_next_walk();
  // 7. The billing systems under sources:, read every interval.
  schedule_sync();
  io_.run();
  if (walker_.joinable()) walker_.join();
  log::info("cobradord stopped");
  return 0;
}

void Runtime::keep_watchdog() {
  uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) <= 0) return;
  watchdog_period_ = std::chrono::microseconds{usec / 2};
  auto tick = std::make_shared<std::function<void(const boost::system::error_code&)>>();
  *tick = [this, tick](const boost::system::error_code& ec) {
    if (ec || stopping_) return;
    notify("WATCHDOG=1");
    watchdog_timer_.expires_after(watchdog_period_);
    watchdog_timer_.async_wait(*tick);
  };
  notify("WATCHDOG=1");
  watchdog_timer_.expires_after(watchdog_period_);
  watchdog_timer_.async_wait(*tick);
}

void Runtime::schedule_next_walk() {
  if (stopping_) return;
  std::optional<store::WalkRecord> last;
  try {
    last = store_->last_walk();
  } catch (const std::exception& e) {
    return retry_walk_later(fmt::format("reading the last walk: {}", e.what()));
  }
  const Instant now = clock::now();
  const Instant next = next_walk_at(*policy_, last ? std::optional<Date>(last->day) : std::nullopt, now);
  // Wake at least hourly: a clock that jumps (NTP, suspend) must not delay the walk by a day.
  const Instant wake = std::min(next, now + std::chrono::hours{1});
  // A wait, not a moment of the system clock: with the clock pinned (COBRADOR_NOW, the tests and
  // the demo) a moment in the past would fire at once, forever, and keep a core busy.
  walk_timer_.expires_after(std::max(wake - now, Instant::duration{0}));
  walk_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) start_walks();
  });
}

void Runtime::start_walks() {
  if (!leads_walk()) {
    // Another daemon on the same database walks. Ask again soon: when it stops or dies, its
    // lock goes with its connection and one of the others takes over within this delay.
    walk_timer_.expires_after(std::chrono::seconds{30});
    walk_timer_.async_wait([this](const boost::system::error_code& ec) {
      if (!ec) start_walks();
    });
    return;
  }
  std::optional<store::WalkRecord> last;
  try {
    last = store_->last_walk();
  } catch (const std::exception& e) {
    return retry_walk_later(fmt::format("reading the last walk: {}", e.what()));
  }
  const auto plan = catch_up(*policy_, last ? std::optional<Date>(last->day) : std::nullopt, clock::now());
  if (walking_ && plan.day) {
    // A sync pass holds the worker: the walk follows it.
    walk_timer_.expires_after(std::chrono::seconds{5});
    walk_timer_.async_wait([this](const boost::system::error_code& ec) {
      if (!ec) start_walks();
    });
    return;
  }
  if (!plan.day || walking_) return schedule_next_walk();
  walking_ = true;
  if (walker_.joinable()) walker_.join();
  // The walk runs on its own thread and connection; SQLite calls block, the loop must not.
  walker_ = std::thread([this, plan, policy = policy_, config = config_] {
    std::string summary;
    bool failed = false;
    try {
      auto opened = open_database_with_upkeep(*config, "walk");
      auto& store = opened.store;
      // The walk's batches commit without copying the log: a thread of its own does.
      store::CheckpointsAside checkpoints(opened.upkeep, open_upkeep(*config));
      const Date day = *plan.day;
      // After downtime only the latest day is walked (scheduler.hpp, catch_up): the stages
      // that fell due meanwhile are decided together, as of that day.
      if (!plan.skipped.empty()) {
        log::warning("catching up after downtime: walking {} only; not walked: {}", format_date(day),
                     describe_skipped(plan.skipped));
      }
      // The book as the billing systems hold it now (docs/connectors.md).
      source_passes_.before_walk(*store, *policy, *config);
      const Instant started = clock::now();
      // The day is walked as of its own run_at, so "today" in the decision is that day.
      const Instant moment = policy->instant_at(day, policy->run_at_minute);
      walk::WalkOptions options;
      options.stop = &stopping_;
      options.progress = checkpoints.progress();
      const auto report = walk::walk(*store, *policy, moment, options);
      // An interrupted day is walked again at the next start.
      if (!stopping_) {
        store->begin();
        store->record_walk({day, started, clock::now(), report.evaluated, report.actions_queued});
        store->commit();
        summary = fmt::format("last walk {}: {} customers evaluated, {} actions queued", format_date(day),
                              report.evaluated, report.actions_queued);
        log::info("{}", summary);
      }
    } catch (const std::exception& e) {
      summary = fmt::format("walk failed: {}", e.what());
      failed = true;
    }
    asio::post(io_, [this, summary, failed] { on_walks_done(summary, failed); });
  });
}

bool Runtime::leads_walk() {
  try {
    const bool leads = store_->try_lead_walk();
    if (leads && !led_walk_) log::info("this daemon leads the daily walk");
    led_walk_ = leads;
    return leads;
  } catch (const std::exception& e) {
    log::error("asking for the walk's lead: {}", e.what());
    return false;
  }
}

void Runtime::on_walks_done(std::string summary, bool failed) {
  walking_ = false;
  if (!summary.empty()) {
    last_status_ = summary;
    notify("STATUS=" + last_status_);
  }
  // A failed walk left its day unrecorded, so the day is due at once: without the wait the
  // loop would walk it again and again as fast as it fails.
  if (failed) return retry_walk_later(summary);
  walk_failures_ = 0;
  schedule_next_walk();
}

void Runtime::retry_walk_later(const std::string& why) {
  if (stopping_) return;
  const auto delay = walk_retry_delay(++walk_failures_);
  log::error("{}; walking again in {} s (failure {} in a row)", why, delay.count(), walk_failures_);
  walk_timer_.expires_after(delay);
  walk_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) start_walks();
  });
}

void Runtime::schedule_sync() {
  if (stopping_ || config_->sources.empty()) return;
  sync_timer_.expires_after(std::chrono::minutes{1});
  sync_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) start_syncs();
  });
}

void Runtime::start_syncs() {
  if (walking_ || !leads_walk()) return schedule_sync();
  walking_ = true;
  if (walker_.joinable()) walker_.join();
  walker_ = std::thread([this, policy = policy_, config = config_] {
    try {
      const auto names = source_passes_.due(*config, SourcePasses::Clock::now());
      if (!names.empty()) {
        auto store = open_database(*config, "sync");
        source_passes_.run(*store, *policy, *config, names);
      }
    } catch (const std::exception& e) {
      log::error("sync: {}", e.what());
    }
    asio::post(io_, [this] {
      walking_ = false;
      schedule_sync();
    });
  });
}

void Runtime::reload() {
  notify("RELOADING=1\nSTATUS=reloading configuration");
  std::shared_ptr<const config::Config> config;
  std::shared_ptr<const policy::Policy> policy;
  if (load(config, policy)) {
    if (config->database != config_->database)
      log::warning("database: a new path takes effect at the next restart");
    config_ = config;
    policy_ = policy;
    for (const auto& component : components_) component->reload(*config_, *policy_);
    log::info("configuration reloaded from {}", config_path_);
    walk_timer_.cancel();
    schedule_next_walk();
    sync_timer_.cancel();
    schedule_sync();
  } else {
    log::error("reload refused; the running configuration stays in force");
  }
  notify("READY=1\nSTATUS=" + last_status_);
}

void Runtime::stop() {
  if (stopping_.exchange(true)) return;
  notify("STOPPING=1\nSTATUS=stopping");
  log::info("stopping: finishing in-flight work");
  walk_timer_.cancel();
  sync_timer_.cancel();
  watchdog_timer_.cancel();
  signals_.cancel();
  auto remaining = std::make_shared<std::size_t>(components_.size());
  if (*remaining == 0) return;
  for (const auto& component : components_) {
    component->stop([remaining] { --*remaining; });
  }
}

}  // namespace cobrador::daemon
