// The daily walk: select the customers due on a day (an indexed next-evaluation day, so the
// cost follows the customers due, not the size of the book), ask decide(), and write each
// batch of decisions with its outbox rows and audit in one transaction.
#pragma once

#include <atomic>
#include <map>
#include <span>
#include <optional>
#include <string>
#include <vector>

#include "policy/decide.hpp"
#include "policy/policy.hpp"
#include "store/store.hpp"
#include "util/progress.hpp"

namespace cobrador::walk {

struct WalkOptions {
  bool dry_run = false;         // decide and report, write nothing
  bool keep_decisions = false;  // fill WalkReport::decisions (dry runs, simulate)
  int batch_size = 1000;
  std::string actor = "system";
  std::optional<std::int64_t> only_customer;  // show/forecast of one customer
  // Checked between batches: a daemon that is stopping ends the walk at a batch boundary
  // (the day is walked again at the next start, which writes nothing twice).
  const std::atomic<bool>* stop = nullptr;
  // Hears the customers walked of those due, after each batch.
  Progress progress = {};
};

struct CustomerDecision {
  std::string customer;  // ext id
  policy::Decision decision;
};

struct WalkReport {
  Date day;
  int evaluated = 0;
  int episodes_started = 0;
  int episodes_ended = 0;
  int actions_queued = 0;
  std::map<std::string, int> stages_run;  // by stage name
  std::vector<CustomerDecision> decisions;
};

// Walks the day of `now` in the policy's zone. `now` is the walk's moment: the scheduler's
// clock, or run_at on the day given to `cobradorctl walk --date`.
WalkReport walk(store::Store& store, const policy::Policy& policy, Instant now,
                const WalkOptions& options = {});

// Decides and writes a batch of distinct customers inside the caller's transaction, their
// snapshots read together (one statement per table); adds to `report`.
void walk_customers(store::DunningStore& store, const policy::Policy& policy, Instant now,
                    std::span<const std::int64_t> customer_ids, const WalkOptions& options,
                    WalkReport& report);

// Re-decides one customer after an event (payment, import, voided invoice) inside the
// caller's transaction: ends the episode at once when nothing is overdue any more.
void reconsider(store::DunningStore& store, const policy::Policy& policy, std::int64_t customer_id,
                Instant now, std::string_view actor);
// The same for a batch of distinct customers (an import's), their snapshots read together.
void reconsider_customers(store::DunningStore& store, const policy::Policy& policy,
                          std::span<const std::int64_t> customer_ids, Instant now, std::string_view actor);

}  // namespace cobrador::walk
