// The dispatcher's inside, shared by dispatcher.cpp (setting up, routing, the public calls) and
// dispatcher_turn.cpp (one turn: record, claim, last look, start). Not for other files.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "dispatch/delivery.hpp"
#include "dispatch/dispatcher.hpp"
#include "dispatch/lanes.hpp"
#include "dispatch/notice_sender.hpp"
#include "hooks/panel.hpp"
#include "util/job_thread.hpp"

namespace cobrador::dispatch {

// Where an action goes: its lane, its panel (panel actions), or an outcome known without
// any call (the action cannot be delivered as it is, or its panel cannot be used).
struct Route {
  std::string lane;
  std::string panel;
  std::optional<Delivery> at_once;
};

// Adds `b` to `a` field by field, `sign` times (1 or -1).
void add_counts(DispatchCounts& a, const DispatchCounts& b, int sign = 1);

struct Dispatcher::Impl : std::enable_shared_from_this<Impl> {
  enum class Mode { idle, running, draining, stopping };

  struct Finished {
    Action action;
    Route route;
    Delivery delivery;
  };

  Impl(boost::asio::io_context& context, store::OutboxStore& s, const Outbound& outbound,
       DispatcherOptions o);

  void add_panels(const Outbound& outbound);
  void add_channels(const Outbound& outbound);
  Route route(const Action& action) const;
  // The lease of an action on `lane` (its route's lane: the lane it waited on).
  std::chrono::seconds lease_for(const Action& action, const std::string& lane) const;

  // A turn's transaction: the outcomes to record, the actions to hand back, the last look at
  // what the lanes let go, then the claim. The store thread fills in the second half.
  struct Turn {
    Instant at;
    std::vector<Finished> results;
    std::vector<Action> release;
    std::vector<Lanes::Ready> ready;
    int want = 0;
    store::ClaimSkip skip;
    std::vector<bool> go;  // by ready: the last look said send
    std::vector<std::pair<Action, Route>> claimed;
    std::set<std::string> disabled_lanes;
    DispatchCounts staged;
    int taken = 0;
    bool queued = false;
  };

  void post_pump();
  void pump();
  void end_turn(std::exception_ptr error);
  void after_turn();
  void arm_timer();
  int claim_size() const;
  store::ClaimSkip claim_skip() const;
  void note_dry_lanes(Instant at, int want, int taken, const store::ClaimSkip& skip, bool queued);
  void on_store_thread(std::function<void()> transaction, std::function<void(std::exception_ptr)> then);
  void run_turn(Instant now);
  void undo_turn(Turn& turn, std::exception_ptr error);
  void turn_in_store(Turn& turn);
  void record_in_store(Turn& turn);
  void confirm_in_store(Turn& turn);
  void claim_in_store(Turn& turn);
  void settle_at_once(const Action& action, const Route& route, Instant now, DispatchCounts& staged);
  void apply_turn(Turn& turn);
  void launch(const Lanes::Ready& ready);
  void on_finished(Finished finished);
  AttemptContext attempt_context(Instant now, const Route& route);
  void warn(const std::string& message) const;

  boost::asio::io_context& io;
  store::OutboxStore& store;
  DispatcherOptions options;
  std::function<Instant()> now;
  net::HttpClient http;
  // After http: adapters and the sender hold references to it.
  std::map<std::string, std::unique_ptr<hooks::Panel>> panels;
  std::map<std::string, std::chrono::seconds> lane_leases;
  std::unique_ptr<NoticeSender> notices;
  std::map<std::string, std::string> problems;
  Lanes lanes;
  boost::asio::steady_timer timer;
  // Drawn from on the store thread only (the jitter of a retry is chosen as it is recorded).
  std::mt19937_64 random;
  std::uniform_real_distribution<double> unit{0.0, 1.0};

  Mode mode = Mode::idle;
  bool pump_posted = false;
  bool turn_running = false;  // its transactions are on the store thread
  bool pump_again = false;    // something happened meanwhile: another turn when this one ends
  bool timer_armed = false;
  bool nothing_due = false;
  bool drained = false;
  std::optional<int> claim_budget;  // drain(max_actions): what may still be claimed
  // Lanes a short claim at `dry_at` showed to have nothing due: not claimed for again until
  // time moves, wake() is called or a follow-up is queued. Without this, a full lane's backlog
  // would be scanned past on every turn in search of work for the idle lanes.
  std::set<std::string> dry;
  Instant dry_at;
  std::vector<Finished> finished;  // outcomes not yet recorded
  std::vector<Action> to_release;  // claimed, to hand back untried
  std::function<void()> on_stopped;
  DispatchCounts counts;
  // The transactions run here, so that a database lock held elsewhere (SQLite's busy wait lasts
  // up to 10 s) never stalls the io_context, which may be serving HTTP. Last: destroyed first,
  // it finishes the transaction it runs while the members that transaction uses still exist.
  JobThread store_thread{"dispatch-store"};
};

}  // namespace cobrador::dispatch
