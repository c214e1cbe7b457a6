// Implements dispatch/dispatcher.hpp. One turn ("pump") runs whenever something happened (a
// call ended, the poll timer fired, wake() was called): (1) record the outcomes that arrived
// and claim more due actions, in one transaction; (2) take from each lane what its limit
// allows, give each a last look, in a second transaction; (3) start those calls. In-memory
// state changes only after a commit, so a failed transaction leaves nothing half-done: the
// outcomes wait for the next turn, and claimed actions come back when their lease runs out.
#include "dispatch/dispatcher.hpp"

#include <unistd.h>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <random>
#include <set>

#include <fmt/format.h>

#include "dispatch/delivery.hpp"
#include "dispatch/lanes.hpp"
#include "dispatch/notice_sender.hpp"
#include "dispatch/panel_action.hpp"
#include "hooks/panel_factory.hpp"
#include "util/clock.hpp"

namespace cobrador::dispatch {

namespace asio = boost::asio;
using hooks::Outcome;

namespace {

// How much longer than the longest call an action's lease lasts, for the outcome to be written.
constexpr std::chrono::seconds kLeaseMargin{60};
constexpr std::chrono::seconds kSmtpTimeout{60};  // notify::SmtpConfig's default
constexpr std::chrono::seconds kSmsTimeout{30};

std::string default_owner() {
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  std::random_device random;
  return fmt::format("{}:{}:{:08x}", host, getpid(), random());
}

// Where an action goes: its lane, its panel (panel actions), or an outcome known without
// any call (the action cannot be delivered as it is, or its panel cannot be used).
struct Route {
  std::string lane;
  std::string panel;
  std::optional<Delivery> at_once;
};

void count(DispatchCounts& counts, Recorded recorded) {
  switch (recorded) {
    case Recorded::done:
    case Recorded::done_and_queued:
      ++counts.done;
      break;
    case Recorded::accepted:
      ++counts.accepted;
      break;
    case Recorded::retried:
      ++counts.retried;
      break;
    case Recorded::failed:
      ++counts.failed;
      break;
    case Recorded::dead:
      ++counts.dead;
      break;
    case Recorded::panel_disabled:
      ++counts.panel_disabled;
      break;
    case Recorded::lost:
      ++counts.lost;
      break;
  }
}

// Adds `b` to `a` field by field, `sign` times (1 or -1).
void add_counts(DispatchCounts& a, const DispatchCounts& b, int sign = 1) {
  int DispatchCounts::*const fields[] = {&DispatchCounts::claimed,        &DispatchCounts::done,
                                         &DispatchCounts::accepted,       &DispatchCounts::retried,
                                         &DispatchCounts::failed,         &DispatchCounts::dead,
                                         &DispatchCounts::cancelled,      &DispatchCounts::held,
                                         &DispatchCounts::panel_disabled, &DispatchCounts::lost};
  for (const auto field : fields) a.*field += sign * (b.*field);
}

}  // namespace

struct Dispatcher::Impl : std::enable_shared_from_this<Impl> {
  enum class Mode { idle, running, draining, stopping };

  struct Finished {
    Action action;
    Route route;
    Delivery delivery;
  };

  Impl(asio::io_context& context, store::Store& s, const Outbound& outbound, DispatcherOptions o);

  void add_panels(const Outbound& outbound);
  void add_channels(const Outbound& outbound);
  Route route(const Action& action) const;
  std::chrono::seconds lease_for(const Action& action, const Route& route) const;

  void post_pump();
  void pump();
  void after_turn();
  void arm_timer();
  int claim_size() const;
  store::Store::ClaimSkip claim_skip() const;
  void note_dry_lanes(Instant at, int want, int taken, const store::Store::ClaimSkip& skip, bool queued);
  void record_and_claim(Instant now);
  void settle_at_once(const Action& action, const Route& route, Instant now, DispatchCounts& staged);
  void start_ready(Instant now);
  void launch(const Lanes::Ready& ready);
  void on_finished(Finished finished);
  AttemptContext attempt_context(Instant now, const Route& route);
  void warn(const std::string& message) const;

  asio::io_context& io;
  store::Store& store;
  DispatcherOptions options;
  std::function<Instant()> now;
  HttpClient http;
  // After http: adapters and the sender hold references to it.
  std::map<std::string, std::unique_ptr<hooks::Panel>> panels;
  std::map<std::string, std::chrono::seconds> lane_leases;
  std::unique_ptr<NoticeSender> notices;
  std::map<std::string, std::string> problems;
  Lanes lanes;
  asio::steady_timer timer;
  std::mt19937_64 random;
  std::uniform_real_distribution<double> unit{0.0, 1.0};

  Mode mode = Mode::idle;
  bool pump_posted = false;
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
};

Dispatcher::Impl::Impl(asio::io_context& context, store::Store& s, const Outbound& outbound,
                       DispatcherOptions o)
    : io(context),
      store(s),
      options(std::move(o)),
      now(options.now ? options.now : std::function<Instant()>(&clock::now)),
      http(context),
      timer(context),
      random(options.seed ? options.seed : std::random_device{}()) {
  if (options.owner.empty()) options.owner = default_owner();
  add_panels(outbound);
  add_channels(outbound);
  for (const auto& [what, why] : problems) warn(fmt::format("{}: {}", what, why));
}

void Dispatcher::Impl::add_panels(const Outbound& outbound) {
  const hooks::Now panel_now = [clock = now] { return std::chrono::system_clock::time_point(clock()); };
  for (const auto& [name, setup] : outbound.panels) {
    const auto lane = panel_lane(name);
    auto panel = hooks::make_panel(name, setup.config, http, io, panel_now);
    if (!panel) {
      problems[lane] = panel.error().message;
      continue;
    }
    panels.emplace(name, std::move(*panel));
    lanes.add(lane, setup.concurrency);
    const auto timeout = std::chrono::ceil<std::chrono::seconds>(setup.config.timeout);
    lane_leases[lane] = std::max(options.lease, timeout + kLeaseMargin);
    lane_leases[lane + ":backup"] =
        lane_leases[lane] + std::chrono::ceil<std::chrono::seconds>(setup.config.poll_limit);
  }
  for (const auto& [lane, why] : outbound.unusable) problems[lane] = why;
}

void Dispatcher::Impl::add_channels(const Outbound& outbound) {
  notices = std::make_unique<NoticeSender>(http, io, outbound, now);
  for (const auto& [what, why] : notices->problems()) problems[what] = why;
  lanes.add(channel_lane("email"), outbound.email_concurrency);
  lanes.add(channel_lane("sms"), outbound.sms_concurrency);
  lane_leases[channel_lane("email")] = std::max(options.lease, kSmtpTimeout + kLeaseMargin);
  lane_leases[channel_lane("sms")] = std::max(options.lease, kSmsTimeout + kLeaseMargin);
}

Route Dispatcher::Impl::route(const Action& action) const {
  if (action.kind == ActionKind::notify) {
    const auto channel = action.target.substr(0, action.target.find(':'));
    if (channel == "email" || channel == "sms") return {channel_lane(channel), "", std::nullopt};
    return {"", "", make_delivery(Outcome::Kind::failed, "a notice's target starts with email: or sms:")};
  }
  auto request = parse_panel_action(action);
  if (!request) return {"", "", make_delivery(Outcome::Kind::failed, request.error().message)};
  const auto lane = panel_lane(request->panel);
  // The operator can fix cobrador.yaml meanwhile: these wait for their retries, then go dead.
  if (const auto problem = problems.find(lane); problem != problems.end()) {
    return {"", request->panel,
            make_delivery(Outcome::Kind::retry, fmt::format("{}: {}", lane, problem->second))};
  }
  if (!panels.contains(request->panel)) {
    return {"", request->panel,
            make_delivery(Outcome::Kind::retry,
                          fmt::format("panel '{}' is not in cobrador.yaml", request->panel))};
  }
  return {lane, request->panel, std::nullopt};
}

std::chrono::seconds Dispatcher::Impl::lease_for(const Action& action, const Route& route) const {
  const bool backup = action.kind == ActionKind::backup;
  const auto it = lane_leases.find(backup ? route.lane + ":backup" : route.lane);
  return it == lane_leases.end() ? options.lease : it->second;
}

void Dispatcher::Impl::warn(const std::string& message) const {
  if (options.log) options.log(message);
}

void Dispatcher::Impl::post_pump() {
  if (pump_posted) return;
  pump_posted = true;
  asio::post(io, [weak = weak_from_this()] {
    if (auto self = weak.lock()) self->pump();
  });
}

void Dispatcher::Impl::pump() {
  pump_posted = false;
  if (mode == Mode::idle) return;
  const Instant at = now();
  try {
    record_and_claim(at);
    start_ready(at);
  } catch (const std::exception& e) {
    if (mode == Mode::draining) throw;
    warn(fmt::format("dispatch: {}; trying again in {} ms", e.what(), options.poll_interval.count()));
    arm_timer();
    return;
  }
  after_turn();
}

void Dispatcher::Impl::after_turn() {
  const bool calls_left = lanes.busy() > 0 || !finished.empty();
  switch (mode) {
    case Mode::draining:
      if (!calls_left && lanes.waiting() == 0 && nothing_due)
        drained = true;
      else if (lanes.busy() == 0)
        post_pump();  // what was claimed needed no call: claim again
      break;
    case Mode::running:
      arm_timer();
      break;
    case Mode::stopping:
      if (!calls_left) {
        mode = Mode::idle;
        if (auto stopped = std::move(on_stopped)) stopped();
      }
      break;
    case Mode::idle:
      break;
  }
}

void Dispatcher::Impl::arm_timer() {
  if (timer_armed) return;
  timer_armed = true;
  timer.expires_after(options.poll_interval);
  timer.async_wait([weak = weak_from_this()](const boost::system::error_code& ec) {
    auto self = weak.lock();
    if (!self) return;
    self->timer_armed = false;
    if (!ec) self->pump();
  });
}

int Dispatcher::Impl::claim_size() const {
  if (mode != Mode::running && mode != Mode::draining) return 0;
  // Up to twice each lane's slots, so that no lane idles between turns, and no more: a
  // claimed action waiting for a slot holds a lease it is not using.
  int size = static_cast<int>(lanes.room(dry));
  if (claim_budget) size = std::min(size, *claim_budget);
  return std::max(size, 0);
}

store::Store::ClaimSkip Dispatcher::Impl::claim_skip() const {
  store::Store::ClaimSkip skip;
  for (const auto& lane : lanes.full()) {
    if (lane.starts_with("panel:")) skip.panels.push_back(lane.substr(6));
    if (lane.starts_with("channel:")) skip.channels.push_back(lane.substr(8));
  }
  return skip;
}

AttemptContext Dispatcher::Impl::attempt_context(Instant at, const Route& route) {
  return AttemptContext{options.owner, at, options.retry, options.sms_quiet, unit(random), route.panel};
}

void Dispatcher::Impl::settle_at_once(const Action& action, const Route& route, Instant at,
                                      DispatchCounts& staged) {
  switch (store.confirm_send(action.id, options.owner, at, at + options.lease)) {
    case store::Store::SendCheck::cancelled:
      ++staged.cancelled;
      return;
    case store::Store::SendCheck::lost:
      ++staged.lost;
      return;
    case store::Store::SendCheck::send:
      count(staged, record_delivery(store, action, *route.at_once, attempt_context(at, route)));
      return;
  }
}

void Dispatcher::Impl::record_and_claim(Instant at) {
  if (at != dry_at) dry.clear();
  auto results = std::move(finished);
  finished.clear();
  const int want = claim_size();
  const auto skip = claim_skip();
  std::vector<std::pair<Action, Route>> claimed;
  std::set<std::string> disabled_lanes;
  DispatchCounts staged;
  int taken = 0;
  bool queued = false;
  try {
    store::in_transaction(store, [&] {
      for (const auto& result : results) {
        const auto recorded =
            record_delivery(store, result.action, result.delivery, attempt_context(at, result.route));
        count(staged, recorded);
        queued = queued || recorded == Recorded::done_and_queued;
        if (recorded == Recorded::panel_disabled) disabled_lanes.insert(result.route.lane);
      }
      if (want == 0) return;
      auto due = store.claim_actions(at, options.owner, at + options.lease, want, skip);
      taken = static_cast<int>(due.size());
      for (auto& action : due) {
        auto where = route(action);
        if (where.at_once)
          settle_at_once(action, where, at, staged);
        else
          claimed.emplace_back(std::move(action), std::move(where));
      }
    });
  } catch (...) {
    finished = std::move(results);  // recorded by a later turn
    throw;
  }
  staged.claimed = taken;
  add_counts(counts, staged);
  if (claim_budget) *claim_budget -= std::min(*claim_budget, taken);
  note_dry_lanes(at, want, taken, skip, queued);
  for (auto& [action, where] : claimed) lanes.enqueue(where.lane, std::move(action));
  for (const auto& lane : disabled_lanes) {
    for (auto& action : lanes.take_waiting(lane)) to_release.push_back(std::move(action));
  }
  if (mode == Mode::stopping) {
    for (auto& action : lanes.take_all_waiting()) to_release.push_back(std::move(action));
  }
}

void Dispatcher::Impl::note_dry_lanes(Instant at, int want, int taken, const store::Store::ClaimSkip& skip,
                                      bool queued) {
  if (want > 0 && taken < want) {
    // A short claim took everything due outside the skipped lanes.
    for (const auto& lane : lanes.names()) {
      const bool skipped = std::any_of(skip.panels.begin(), skip.panels.end(),
                                       [&](const auto& p) { return lane == panel_lane(p); }) ||
                           std::any_of(skip.channels.begin(), skip.channels.end(),
                                       [&](const auto& c) { return lane == channel_lane(c); });
      if (!skipped) dry.insert(lane);
    }
    dry_at = at;
  }
  if (queued) {
    dry.clear();  // a follow-up is due now, in whichever lane
    post_pump();
  }
  const auto names = lanes.names();
  const bool all_dry =
      std::all_of(names.begin(), names.end(), [&](const auto& lane) { return dry.contains(lane); });
  nothing_due = (claim_budget && *claim_budget == 0) || all_dry;
}

void Dispatcher::Impl::start_ready(Instant at) {
  auto ready = lanes.take_ready();
  auto release = std::move(to_release);
  to_release.clear();
  if (ready.empty() && release.empty()) return;
  std::vector<bool> go(ready.size(), false);
  DispatchCounts staged;
  try {
    store::in_transaction(store, [&] {
      for (const auto& action : release)
        store.release_action(action.id, options.owner, action.next_attempt_at);
      for (std::size_t i = 0; i < ready.size(); ++i) {
        const auto& action = ready[i].action;
        const Instant allowed = sms_send_time(action, at, options.sms_quiet);
        if (allowed > at) {
          store.release_action(action.id, options.owner, allowed);
          ++staged.held;
          continue;
        }
        const auto lease = lease_for(action, route(action));
        const auto check = store.confirm_send(action.id, options.owner, at, at + lease);
        go[i] = check == store::Store::SendCheck::send;
        if (check == store::Store::SendCheck::cancelled) ++staged.cancelled;
        if (check == store::Store::SendCheck::lost) ++staged.lost;
      }
    });
  } catch (...) {
    // Dropped: their leases run out and they are claimed again, by us or another dispatcher.
    for (const auto& r : ready) lanes.finished(r.lane);
    throw;
  }
  add_counts(counts, staged);
  for (std::size_t i = 0; i < ready.size(); ++i) {
    if (go[i])
      launch(ready[i]);
    else
      lanes.finished(ready[i].lane);
  }
}

void Dispatcher::Impl::launch(const Lanes::Ready& ready) {
  auto where = route(ready.action);
  auto finish = [weak = weak_from_this(), action = ready.action, where](Delivery delivery) mutable {
    if (auto self = weak.lock())
      self->on_finished({std::move(action), std::move(where), std::move(delivery)});
  };
  try {
    if (ready.action.kind == ActionKind::notify) {
      notices->send(ready.action, finish);
    } else {
      auto request = parse_panel_action(ready.action);
      panels.at(request->panel)->execute(request->call, [finish](Outcome outcome) mutable {
        Delivery delivery;
        delivery.outcome = std::move(outcome);
        finish(std::move(delivery));
      });
    }
  } catch (const std::exception& e) {
    asio::post(io, [finish, why = std::string(e.what())]() mutable {
      finish(make_delivery(Outcome::Kind::retry, "internal error while starting the call: " + why));
    });
  }
}

void Dispatcher::Impl::on_finished(Finished result) {
  lanes.finished(result.route.lane);
  finished.push_back(std::move(result));
  post_pump();
}

Dispatcher::Dispatcher(asio::io_context& io, store::Store& store, const Outbound& outbound,
                       DispatcherOptions options)
    : impl_(std::make_shared<Impl>(io, store, outbound, std::move(options))) {}

Dispatcher::~Dispatcher() = default;

void Dispatcher::start() {
  impl_->mode = Impl::Mode::running;
  impl_->claim_budget.reset();
  impl_->dry.clear();
  impl_->post_pump();
}

void Dispatcher::wake() {
  impl_->dry.clear();
  if (impl_->mode == Impl::Mode::running) impl_->post_pump();
}

void Dispatcher::stop(std::function<void()> stopped) {
  auto& impl = *impl_;
  impl.on_stopped = std::move(stopped);
  impl.mode = Impl::Mode::stopping;
  impl.timer.cancel();
  impl.post_pump();
}

DispatchCounts Dispatcher::drain(std::optional<int> max_actions) {
  auto& impl = *impl_;
  const auto before = impl.counts;
  impl.mode = Impl::Mode::draining;
  impl.claim_budget = max_actions;
  impl.drained = false;
  impl.dry.clear();
  impl.post_pump();
  impl.io.restart();
  try {
    while (!impl.drained && impl.io.run_one() > 0) {
    }
  } catch (...) {
    impl.mode = Impl::Mode::idle;
    throw;
  }
  impl.mode = Impl::Mode::idle;
  auto run = impl.counts;
  add_counts(run, before, -1);
  return run;
}

DispatchCounts Dispatcher::counts() const { return impl_->counts; }

const std::map<std::string, std::string>& Dispatcher::problems() const { return impl_->problems; }

const std::string& Dispatcher::owner() const { return impl_->options.owner; }

}  // namespace cobrador::dispatch
