// The dunning face: what the walk reads and writes (lib/walk), and what reports on it
// (/healthz, /metrics). Deciding a customer also settles their promises and claims
// (walk/promise_outcomes), so this face includes the promises'.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "policy/decide.hpp"
#include "policy/snapshot.hpp"
#include "store/promise_store.hpp"
#include "store/records.hpp"

namespace cobrador::store {

class DunningStore : public virtual PromiseStore {
 public:
  // Customers whose next evaluation day is on or before `day`, in id order after `after_id`;
  // their snapshot; and the writing of a decision.
  virtual std::vector<std::int64_t> customers_due(Date day, std::int64_t after_id, int limit) = 0;
  // Whether that one customer is due on `day` (a lookup by id: customers_due reads every due
  // customer to find the next one, which a forecast of one customer must not).
  virtual bool customer_due(Date day, std::int64_t customer_id) = 0;
  // The snapshots of distinct customers, in the order given: a walk reads a batch of them in
  // one statement per table (on PostgreSQL one round trip per table, not per customer).
  virtual std::vector<policy::CustomerSnapshot> snapshots(std::span<const std::int64_t> customer_ids) = 0;
  policy::CustomerSnapshot snapshot(std::int64_t customer_id) {
    return std::move(snapshots({&customer_id, 1}).front());
  }
  // Writes the decision: episode, stage runs, outbox rows, audit rows and the next
  // evaluation day. Returns the number of actions that were new.
  virtual int apply(const policy::CustomerSnapshot& customer, const policy::Decision& decision, Date today,
                    Instant now, std::string_view actor) = 0;
  // The same for a batch: decision i of customer i, each written as apply() writes it (on
  // PostgreSQL one statement per table for the batch); the new actions of each.
  virtual std::vector<int> apply_all(std::span<const policy::CustomerSnapshot> customers,
                                     std::span<const policy::Decision> decisions, Date today, Instant now,
                                     std::string_view actor) = 0;
  // Whether apply_all writes one customer's decision after another (SQLite, in the process):
  // then a batch written in pieces, as its decisions are made, costs nothing more. PostgreSQL
  // writes a batch per statement and wants it whole.
  virtual bool writes_decisions_one_by_one() const = 0;
  virtual void record_walk(const WalkRecord& walk) = 0;
  virtual std::optional<WalkRecord> last_walk() = 0;
  // Episodes of the customer started on or after `since` (tasks.invite_to_cancel).
  virtual int episodes_started_since(std::int64_t customer_id, Date since) = 0;

  // For /metrics. Customers whose open episode reached each stage last, in `stage_order`
  // (the policy's order decides which of two stages run on one day is the current one).
  virtual std::map<std::string, std::int64_t> customers_by_stage(
      const std::vector<std::string>& stage_order) = 0;

  // ---- Several daemons on one database (issue 9) ----

  // Tries to become the daemon that walks, and stays it for the life of this connection.
  // True while this store holds the lead. A SQLite file has one daemon: always true.
  virtual bool try_lead_walk() = 0;
  // The name of the daemon that leads the walk, as process_name() gives it, if any does: on
  // PostgreSQL the application name of the connection holding the lead; on SQLite this process.
  virtual std::optional<std::string> walk_leader() = 0;
};

}  // namespace cobrador::store
