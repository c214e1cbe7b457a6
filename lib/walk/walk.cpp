// Implements the daily walk as batches of (select due, snapshot, decide, write).
#include "walk/walk.hpp"

#include <algorithm>
#include <iterator>
#include <limits>

#include "policy/tasks.hpp"
#include "util/read_ahead.hpp"
#include "walk/promise_outcomes.hpp"
#include "walk/lifecycle_walk.hpp"

namespace cobrador::walk {

namespace {

void count(WalkReport& report, const policy::Decision& decision, int queued) {
  ++report.evaluated;
  report.episodes_started += decision.start_episode ? 1 : 0;
  report.episodes_ended += decision.end_episode ? 1 : 0;
  report.actions_queued += queued;
  for (const auto& stage : decision.stages_run) ++report.stages_run[stage];
}

// Runs `work` in a transaction that a dry run rolls back instead of committing.
template <class Work>
void in_walk_transaction(store::Store& store, const WalkOptions& options, Work&& work,
                         store::References references = store::References::any) {
  if (references == store::References::own)
    store.begin_with_own_references();
  else
    store.begin();
  try {
    work();
    if (options.dry_run)
      store.rollback();
    else
      store.commit();
  } catch (...) {
    store.rollback();
    throw;
  }
}

// The end of relationships (cancellations, purges) is by date, not by customer: one more
// transaction after the customers' batches.
void walk_ends(store::Store& store, const policy::Policy& policy, Instant now, const WalkOptions& options,
               WalkReport& report) {
  in_walk_transaction(store, options, [&] {
    const auto ends = walk_lifecycle(store, policy, now);
    report.actions_queued += ends.deactivations + ends.offers + ends.purges;
  });
}

// A batch decided and written: snapshots read together, each decided on `occasion`, the
// decisions written together, then the promises they settled and the claims' expiry days.
struct DecidedBatch {
  std::vector<policy::CustomerSnapshot> snapshots;
  std::vector<policy::Decision> decisions;
  std::vector<int> queued;  // the new actions of each
};

// "Always the same subscribers": an episode that starts opens the invitation to cancel when the
// customer started enough of them lately (tasks.invite_to_cancel; rare, so counted one by one).
void invite_to_cancel(store::DunningStore& store, const policy::Policy& policy,
                      const policy::CustomerSnapshot& customer, const policy::Decision& decision,
                      Instant now) {
  if (!decision.start_episode || !policy.tasks.invite_to_cancel.enabled) return;
  const Date today = policy.local_date(now);
  const int started =
      store.episodes_started_since(customer.id, policy::invite_window_start(policy.tasks, today));
  if (auto task = policy::invite_to_cancel_task(policy.tasks, customer.ext_id, decision.episode_number,
                                                started, today))
    store.open_task(*task, now, "system");
}

// Decides the batch's customers and writes the decisions. Where the store writes a decision at a
// time anyway (SQLite), the deciding (lib/policy's pure work) runs on a thread of its own a few
// pieces ahead of the writing, so that the two cores share a batch instead of taking turns
// (docs/benchmarks.md, *The first day at book size*). PostgreSQL writes a batch per statement:
// there, and for a batch too small to be worth a thread (an event's one customer), the batch is
// decided whole first.
constexpr std::size_t kDecisionsPerPiece = 32;

void decide_then_write(store::DunningStore& store, const policy::Policy& policy, Instant now,
                       policy::Occasion occasion, std::string_view actor, DecidedBatch& batch) {
  const std::size_t size = batch.snapshots.size();
  const std::span<const policy::CustomerSnapshot> snapshots(batch.snapshots);
  batch.decisions.reserve(size);
  if (!store.writes_decisions_one_by_one() || size < 2 * kDecisionsPerPiece) {
    for (const auto& snapshot : snapshots)
      batch.decisions.push_back(policy::decide(snapshot, policy, now, occasion));
    batch.queued = store.apply_all(snapshots, batch.decisions, policy.local_date(now), now, actor);
    return;
  }
  std::size_t decided = 0;  // read on the deciding thread only
  ReadAhead<std::vector<policy::Decision>> pieces([&]() -> std::optional<std::vector<policy::Decision>> {
    if (decided == size) return std::nullopt;
    std::vector<policy::Decision> piece;
    piece.reserve(std::min(kDecisionsPerPiece, size - decided));
    for (; piece.size() < kDecisionsPerPiece && decided < size; ++decided)
      piece.push_back(policy::decide(snapshots[decided], policy, now, occasion));
    return piece;
  });
  batch.queued.reserve(size);
  while (auto piece = pieces.next()) {
    const auto queued = store.apply_all(snapshots.subspan(batch.decisions.size(), piece->size()), *piece,
                                        policy.local_date(now), now, actor);
    batch.queued.insert(batch.queued.end(), queued.begin(), queued.end());
    std::move(piece->begin(), piece->end(), std::back_inserter(batch.decisions));
  }
}

DecidedBatch decide_and_apply(store::DunningStore& store, const policy::Policy& policy,
                              std::span<const std::int64_t> customer_ids, Instant now,
                              policy::Occasion occasion, std::string_view actor) {
  DecidedBatch batch;
  batch.snapshots = store.snapshots(customer_ids);
  decide_then_write(store, policy, now, occasion, actor, batch);
  for (std::size_t i = 0; i < batch.snapshots.size(); ++i) {
    record_promise_outcome(store, batch.snapshots[i], batch.decisions[i], now, actor);
    invite_to_cancel(store, policy, batch.snapshots[i], batch.decisions[i], now);
  }
  // A decision sets the next evaluation from the stages alone: an open claim's expiry may
  // come sooner.
  store.bring_forward_to_claim_expiry(customer_ids);
  return batch;
}

}  // namespace

void walk_customers(store::DunningStore& store, const policy::Policy& policy, Instant now,
                    std::span<const std::int64_t> customer_ids, const WalkOptions& options,
                    WalkReport& report) {
  // Claims expire before the snapshots are read: an expired claim changes what is owed.
  expire_claims(store, policy, customer_ids, now, options.actor);
  const auto batch =
      decide_and_apply(store, policy, customer_ids, now, policy::Occasion::walk, options.actor);
  for (std::size_t i = 0; i < batch.snapshots.size(); ++i) {
    const auto& decision = batch.decisions[i];
    count(report, decision, options.dry_run ? static_cast<int>(decision.actions.size()) : batch.queued[i]);
    // A broken promise's suspension runs no stage, yet it is what happens that day: kept, so
    // that the forecast (simulate, the customer's page) names it as the walk does it.
    if (options.keep_decisions &&
        (decision.changes_anything() || decision.broken_promise != 0 || !decision.actions.empty()))
      report.decisions.push_back({batch.snapshots[i].ext_id, decision});
  }
}

WalkReport walk(store::Store& store, const policy::Policy& policy, Instant now, const WalkOptions& options) {
  WalkReport report;
  report.day = policy.local_date(now);
  // One indexed read of who is due, then batches of writes: asking again per batch would
  // sort the remaining due customers each time.
  std::vector<std::int64_t> due;
  if (options.only_customer) {
    due = store.customers_due(report.day, *options.only_customer - 1, 1);
    if (!due.empty() && due.front() != *options.only_customer) due.clear();
  } else {
    due = store.customers_due(report.day, 0, std::numeric_limits<int>::max());
  }
  const std::size_t batch = static_cast<std::size_t>(std::max(1, options.batch_size));
  for (std::size_t start = 0; start < due.size(); start += batch) {
    if (options.stop && options.stop->load()) break;
    // A batch's rows point only at what the batch read or wrote: its customers (never deleted),
    // their services and invoices, the episodes it read or started. SQLite need not look each
    // reference up again (docs/benchmarks.md, *The first day at book size*).
    in_walk_transaction(
        store, options,
        [&] {
          walk_customers(store, policy, now,
                         std::span(due).subspan(start, std::min(batch, due.size() - start)), options, report);
        },
        store::References::own);
    if (options.progress) options.progress(std::min(due.size(), start + batch), due.size());
  }
  const bool stopping = options.stop && options.stop->load();
  if (!options.only_customer && !stopping) walk_ends(store, policy, now, options, report);
  return report;
}

void reconsider(store::DunningStore& store, const policy::Policy& policy, std::int64_t customer_id,
                Instant now, std::string_view actor) {
  reconsider_customers(store, policy, {&customer_id, 1}, now, actor);
}

void reconsider_customers(store::DunningStore& store, const policy::Policy& policy,
                          std::span<const std::int64_t> customer_ids, Instant now, std::string_view actor) {
  decide_and_apply(store, policy, customer_ids, now, policy::Occasion::event, actor);
}

}  // namespace cobrador::walk
