// Implements one turn of the dispatcher ("pump"), which runs whenever something happened (a
// call ended, the poll timer fired, wake() was called): (1) record the outcomes that arrived
// and claim more due actions, in one transaction; (2) take from each lane what its limit
// allows, give each a last look, in a second transaction; (3) start those calls. The
// transactions run on the dispatcher's store thread; everything else, on the io_context, and
// one turn at a time. In-memory state changes only after a commit, so a failed transaction
// leaves nothing half-done: the outcomes wait for the next turn, and claimed actions come back
// when their lease runs out.
#include <boost/asio/executor_work_guard.hpp>
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
  if (turn_running) {
    pump_again = true;
    return;
  }
  turn_running = true;
  record_and_claim(now());
}

void Dispatcher::Impl::end_turn(std::exception_ptr error) {
  turn_running = false;
  if (pump_again) {
    pump_again = false;
    post_pump();
  }
  if (error) {
    if (mode == Mode::draining) std::rethrow_exception(error);
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& e) {
      warn(fmt::format("dispatch: {}; trying again in {} ms", e.what(), options.poll_interval.count()));
    }
    arm_timer();
    return;
  }
  after_turn();
}

void Dispatcher::Impl::after_turn() {
  const bool calls_left = lanes.busy() > 0 || !finished.empty() || !to_release.empty();
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

store::ClaimSkip Dispatcher::Impl::claim_skip() const {
  store::ClaimSkip skip;
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
    case store::SendCheck::cancelled:
      ++staged.cancelled;
      return;
    case store::SendCheck::lost:
      ++staged.lost;
      return;
    case store::SendCheck::send:
      count(staged, record_delivery(store, action, *route.at_once, attempt_context(at, route)));
      return;
  }
}

void Dispatcher::Impl::on_store_thread(std::function<void()> transaction,
                                       std::function<void(std::exception_ptr)> then) {
  // The io_context has nothing else to do while a drain() waits for the transaction.
  auto busy = std::make_shared<asio::executor_work_guard<asio::io_context::executor_type>>(io.get_executor());
  store_thread.post([this, weak = weak_from_this(), transaction = std::move(transaction),
                     then = std::move(then), busy]() mutable {
    std::exception_ptr error;
    try {
      transaction();
    } catch (...) {
      error = std::current_exception();
    }
    asio::post(io, [weak, then = std::move(then), error, busy]() mutable {
      busy->reset();
      if (auto self = weak.lock()) then(error);
    });
  });
}

void Dispatcher::Impl::record_and_claim(Instant at) {
  if (at != dry_at) dry.clear();
  auto claim = std::make_shared<Claim>();
  claim->at = at;
  claim->results = std::move(finished);
  finished.clear();
  claim->want = claim_size();
  claim->skip = claim_skip();
  on_store_thread([this, claim] { claim_in_store(*claim); },
                  [this, claim](std::exception_ptr error) {
                    if (error) {
                      // Recorded by a later turn, before what arrived meanwhile.
                      for (auto& result : finished) claim->results.push_back(std::move(result));
                      finished = std::move(claim->results);
                      return end_turn(error);
                    }
                    apply_claim(*claim);
                    start_ready(claim->at);
                  });
}

// On the store thread: reads only what does not change after the dispatcher is set up.
void Dispatcher::Impl::claim_in_store(Claim& claim) {
  const Instant at = claim.at;
  store::in_transaction(store, [&] {
    for (const auto& result : claim.results) {
      const auto recorded =
          record_delivery(store, result.action, result.delivery, attempt_context(at, result.route));
      count(claim.staged, recorded);
      claim.queued = claim.queued || recorded == Recorded::done_and_queued;
      if (recorded == Recorded::panel_disabled) claim.disabled_lanes.insert(result.route.lane);
    }
    if (claim.want == 0) return;
    auto due = store.claim_actions(at, options.owner, at + options.lease, claim.want, claim.skip);
    claim.taken = static_cast<int>(due.size());
    for (auto& action : due) {
      auto where = route(action);
      if (where.at_once)
        settle_at_once(action, where, at, claim.staged);
      else
        claim.claimed.emplace_back(std::move(action), std::move(where));
    }
  });
}

void Dispatcher::Impl::apply_claim(Claim& claim) {
  claim.staged.claimed = claim.taken;
  add_counts(counts, claim.staged);
  if (claim_budget) *claim_budget -= std::min(*claim_budget, claim.taken);
  note_dry_lanes(claim.at, claim.want, claim.taken, claim.skip, claim.queued);
  for (auto& [action, where] : claim.claimed) lanes.enqueue(where.lane, std::move(action));
  for (const auto& lane : claim.disabled_lanes) {
    for (auto& action : lanes.take_waiting(lane)) to_release.push_back(std::move(action));
  }
  if (mode == Mode::stopping) {
    for (auto& action : lanes.take_all_waiting()) to_release.push_back(std::move(action));
  }
}

void Dispatcher::Impl::note_dry_lanes(Instant at, int want, int taken, const store::ClaimSkip& skip,
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
  auto send = std::make_shared<Send>();
  send->at = at;
  send->ready = lanes.take_ready();
  send->release = std::move(to_release);
  to_release.clear();
  if (send->ready.empty() && send->release.empty()) return end_turn(nullptr);
  send->go.assign(send->ready.size(), false);
  on_store_thread([this, send] { send_in_store(*send); },
                  [this, send](std::exception_ptr error) {
                    if (error) {
                      // Dropped: their leases run out and they are claimed again, by us or
                      // another dispatcher.
                      for (const auto& r : send->ready) lanes.finished(r.lane);
                      return end_turn(error);
                    }
                    apply_send(*send);
                    end_turn(nullptr);
                  });
}

// On the store thread, like claim_in_store.
void Dispatcher::Impl::send_in_store(Send& send) {
  const Instant at = send.at;
  store::in_transaction(store, [&] {
    for (const auto& action : send.release)
      store.release_action(action.id, options.owner, action.next_attempt_at);
    for (std::size_t i = 0; i < send.ready.size(); ++i) {
      const auto& action = send.ready[i].action;
      const Instant allowed = sms_send_time(action, at, options.sms_quiet);
      if (allowed > at) {
        store.release_action(action.id, options.owner, allowed);
        ++send.staged.held;
        continue;
      }
      const auto lease = lease_for(action, route(action));
      const auto check = store.confirm_send(action.id, options.owner, at, at + lease);
      send.go[i] = check == store::SendCheck::send;
      if (check == store::SendCheck::cancelled) ++send.staged.cancelled;
      if (check == store::SendCheck::lost) ++send.staged.lost;
    }
  });
}

void Dispatcher::Impl::apply_send(Send& send) {
  add_counts(counts, send.staged);
  for (std::size_t i = 0; i < send.ready.size(); ++i) {
    if (send.go[i])
      launch(send.ready[i]);
    else
      lanes.finished(send.ready[i].lane);
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
      auto& panel = *panels.at(request->panel);
      auto deliver = [finish](Outcome outcome) mutable {
        Delivery delivery;
        delivery.outcome = std::move(outcome);
        finish(std::move(delivery));
      };
      if (!request->payment) {
        panel.execute(request->call, std::move(deliver));
      } else if (panel.takes_payments()) {
        panel.record_payment(*request->payment, std::move(deliver));
      } else {
        asio::post(io, [finish, name = request->panel]() mutable {
          finish(
              make_delivery(Outcome::Kind::failed,
                            fmt::format("panel '{}' is not a billing system: it takes no payments", name)));
        });
      }
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
