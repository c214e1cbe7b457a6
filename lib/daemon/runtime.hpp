// cobradord's process: one Boost.Asio event loop that runs the scheduler (walks on a worker
// thread with its own database connection, so the loop stays free), talks to systemd
// (READY, STATUS, WATCHDOG, RELOADING, STOPPING), reloads on SIGHUP and stops on SIGTERM.
// The HTTP server and the dispatcher plug in as Components.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio.hpp>

#include "config/config.hpp"
#include "daemon/source_passes.hpp"
#include "policy/policy.hpp"
#include "store/store.hpp"

namespace cobrador::daemon {

namespace asio = boost::asio;

// A long-lived part of the daemon started after the database is open.
class Component {
 public:
  virtual ~Component() = default;
  virtual void start() = 0;
  // Stops taking work, finishes or releases what is in flight, then calls `done`.
  virtual void stop(std::function<void()> done) = 0;
  // The configuration was reloaded.
  virtual void reload(const config::Config&, const policy::Policy&) {}
};

// What the components see: the shared loop and the current configuration.
struct Services {
  asio::io_context& io;
  std::shared_ptr<const config::Config> config;
  std::shared_ptr<const policy::Policy> policy;
};

using ComponentFactory = std::function<std::unique_ptr<Component>(const Services&)>;

class Runtime {
 public:
  explicit Runtime(std::string config_path);
  ~Runtime();

  void add_component(ComponentFactory factory) { factories_.push_back(std::move(factory)); }
  // Runs until SIGTERM/SIGINT; returns the process exit code.
  int run();

 private:
  bool load(std::shared_ptr<const config::Config>& config, std::shared_ptr<const policy::Policy>& policy);
  void schedule_next_walk();
  void start_walks();
  // Whether this daemon leads the walk among those sharing the database (always, on SQLite).
  bool leads_walk();
  // After a walk: `failed` schedules the next attempt after walk_retry_delay().
  void on_walks_done(std::string summary, bool failed);
  void retry_walk_later(const std::string& why);
  // Every minute: the sources whose interval has passed are read on the worker thread, when
  // it is free and this daemon leads the walk.
  void schedule_sync();
  void start_syncs();
  void reload();
  void stop();
  void keep_watchdog();
  void notify(const std::string& state);

  std::string config_path_;
  asio::io_context io_;
  asio::signal_set signals_;
  asio::system_timer walk_timer_;
  asio::steady_timer watchdog_timer_;
  asio::steady_timer sync_timer_;
  SourcePasses source_passes_;  // used on the worker thread only
  std::shared_ptr<const config::Config> config_;
  std::shared_ptr<const policy::Policy> policy_;
  std::unique_ptr<store::Store> store_;  // the loop's own connection
  std::vector<ComponentFactory> factories_;
  std::vector<std::unique_ptr<Component>> components_;
  std::thread walker_;
  std::atomic<bool> walking_{false};  // the worker thread is busy (a walk or a sync pass)
  bool led_walk_ = false;             // to log the moment this daemon takes the lead
  int walk_failures_ = 0;             // walks failed in a row; the loop thread's alone
  std::atomic<bool> stopping_{false};
  std::string last_status_ = "starting";
  std::chrono::microseconds watchdog_period_{0};
};

}  // namespace cobrador::daemon
