// Implements one turn of the dispatcher ("pump"), which runs whenever something happened (a
// call ended, the poll timer fired, wake() was called): (1) record the outcomes that arrived
// and claim more due actions, in one transaction; (2) take from each lane what its limit
// allows, give each a last look, in a second transaction; (3) start those calls. In-memory
// state changes only after a commit, so a failed transaction leaves nothing half-done: the
// outcomes wait for the next turn, and claimed actions come back when their lease runs out.
#include <boost/asio/post.hpp>

#include <algorithm>

#include <fmt/format.h>

#include "dispatch/dispatcher_impl.hpp"
#include "dispatch/panel_action.hpp"

namespace cobrador::dispatch {

namespace asio = boost::asio;
using hooks::Outcome;

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

}  // namespace cobrador::dispatch
