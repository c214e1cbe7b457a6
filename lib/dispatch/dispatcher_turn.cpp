// Implements one turn of the dispatcher ("pump"), which runs whenever something happened (a
// call ended, the poll timer fired, wake() was called). In one transaction: (1) record the
// outcomes that arrived and hand back what is not to be tried; (2) give what each lane's limit
// lets go (claimed by an earlier turn) a last look; (3) claim more due actions, which wait on
// their lanes for the next turn. After the commit, (4) start the calls the last look allowed.
// One transaction per turn, not one per step, because each is a hand-off to the store thread
// and back, and the calls wait for it. The transaction runs on the dispatcher's store thread;
// everything else, on the io_context, and one turn at a time. In-memory state changes only
// after a commit, so a failed transaction leaves nothing half-done: the outcomes wait for the
// next turn, and claimed actions come back when their lease runs out.
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>

#include <algorithm>
#include <optional>

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
  run_turn(now());
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

void Dispatcher::Impl::run_turn(Instant at) {
  if (at != dry_at) dry.clear();
  if (mode == Mode::stopping) {
    for (auto& action : lanes.take_all_waiting()) to_release.push_back(std::move(action));
  }
  auto turn = std::make_shared<Turn>();
  turn->at = at;
  turn->results = std::move(finished);
  finished.clear();
  turn->release = std::move(to_release);
  to_release.clear();
  // Taken before the claim: what waits was claimed by an earlier turn, and what this claim
  // brings starts on the next one.
  turn->ready = lanes.take_ready();
  turn->go.assign(turn->ready.size(), false);
  turn->want = claim_size();
  turn->skip = claim_skip();
  on_store_thread([this, turn] { turn_in_store(*turn); },
                  [this, turn](std::exception_ptr error) {
                    if (error) return undo_turn(*turn, error);
                    apply_turn(*turn);
                    end_turn(nullptr);
                  });
}

// The transaction failed: nothing of it happened.
void Dispatcher::Impl::undo_turn(Turn& turn, std::exception_ptr error) {
  // Recorded by a later turn, before what arrived meanwhile.
  for (auto& result : finished) turn.results.push_back(std::move(result));
  finished = std::move(turn.results);
  // Dropped, like the hand-backs: their leases run out and they are claimed again, by us or
  // another dispatcher.
  for (const auto& ready : turn.ready) lanes.finished(ready.lane);
  end_turn(error);
}

// On the store thread: reads only what does not change after the dispatcher is set up.
void Dispatcher::Impl::turn_in_store(Turn& turn) {
  store::in_transaction(store, [&] {
    record_in_store(turn);
    for (const auto& action : turn.release)
      store.release_action(action.id, options.owner, action.next_attempt_at);
    confirm_in_store(turn);
    claim_in_store(turn);
  });
}

void Dispatcher::Impl::record_in_store(Turn& turn) {
  for (const auto& result : turn.results) {
    const auto recorded =
        record_delivery(store, result.action, result.delivery, attempt_context(turn.at, result.route));
    count(turn.staged, recorded);
    turn.queued = turn.queued || recorded == Recorded::done_and_queued;
    if (recorded == Recorded::panel_disabled) turn.disabled_lanes.insert(result.route.lane);
  }
}

// The last look at what the lanes let go (confirm-before-send): each call starts only after
// this transaction commits.
void Dispatcher::Impl::confirm_in_store(Turn& turn) {
  const Instant at = turn.at;
  for (std::size_t i = 0; i < turn.ready.size(); ++i) {
    const auto& [lane, action] = turn.ready[i];
    // Its panel was disabled by an outcome recorded just now: it waits, untried, like the
    // rest of that lane's queue.
    if (turn.disabled_lanes.contains(lane)) {
      store.release_action(action.id, options.owner, action.next_attempt_at);
      continue;
    }
    const Instant allowed = sms_send_time(action, at, options.sms_quiet);
    if (allowed > at) {
      store.release_action(action.id, options.owner, allowed);
      ++turn.staged.held;
      continue;
    }
    // The lane it waited on is its route's: its payload is not parsed again for it.
    const auto check = store.confirm_send(action.id, options.owner, at, at + lease_for(action, lane));
    turn.go[i] = check == store::SendCheck::send;
    if (check == store::SendCheck::cancelled) ++turn.staged.cancelled;
    if (check == store::SendCheck::lost) ++turn.staged.lost;
  }
}

void Dispatcher::Impl::claim_in_store(Turn& turn) {
  if (turn.want == 0) return;
  const Instant at = turn.at;
  auto due = store.claim_actions(at, options.owner, at + options.lease, turn.want, turn.skip);
  turn.taken = static_cast<int>(due.size());
  for (auto& action : due) {
    auto where = route(action);
    if (where.at_once)
      settle_at_once(action, where, at, turn.staged);
    else
      turn.claimed.emplace_back(std::move(action), std::move(where));
  }
}

void Dispatcher::Impl::apply_turn(Turn& turn) {
  turn.staged.claimed = turn.taken;
  add_counts(counts, turn.staged);
  if (claim_budget) *claim_budget -= std::min(*claim_budget, turn.taken);
  note_dry_lanes(turn.at, turn.want, turn.taken, turn.skip, turn.queued);
  for (auto& [action, where] : turn.claimed) lanes.enqueue(where.lane, std::move(action));
  for (const auto& lane : turn.disabled_lanes) {
    for (auto& action : lanes.take_waiting(lane)) to_release.push_back(std::move(action));
  }
  if (mode == Mode::stopping) {
    for (auto& action : lanes.take_all_waiting()) to_release.push_back(std::move(action));
  }
  for (std::size_t i = 0; i < turn.ready.size(); ++i) {
    if (turn.go[i])
      launch(turn.ready[i]);
    else
      lanes.finished(turn.ready[i].lane);
  }
  // What this claim brought, or what waits for a slot a refused action left: the next turn.
  if (lanes.startable() || !to_release.empty()) post_pump();
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

void Dispatcher::Impl::launch(const Lanes::Ready& ready) {
  // The payload is parsed once here, for the call and for the route its outcome is recorded by.
  std::optional<Result<PanelRequest>> request;
  Route where{ready.lane, "", std::nullopt};
  if (ready.action.kind != ActionKind::notify) {
    request = parse_panel_action(ready.action);
    if (*request) where.panel = (*request)->panel;
  }
  auto finish = [weak = weak_from_this(), action = ready.action, where](Delivery delivery) mutable {
    if (auto self = weak.lock())
      self->on_finished({std::move(action), std::move(where), std::move(delivery)});
  };
  try {
    if (!request) {
      notices->send(ready.action, finish);
    } else {
      const auto& wanted = request->value();
      auto& panel = *panels.at(wanted.panel);
      auto deliver = [finish](Outcome outcome) mutable {
        Delivery delivery;
        delivery.outcome = std::move(outcome);
        finish(std::move(delivery));
      };
      if (!wanted.payment) {
        panel.execute(wanted.call, std::move(deliver));
      } else if (panel.takes_payments()) {
        panel.record_payment(*wanted.payment, std::move(deliver));
      } else {
        asio::post(io, [finish, name = wanted.panel]() mutable {
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
