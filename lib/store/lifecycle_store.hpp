// The lifecycle face: cancellations, locks, backups and purges (lib/walk/lifecycle_walk,
// lib/service/cancellation, lock_reactivation, backup, lifecycle_reports). A service's
// lifecycle moves through panel actions, so this face includes the outbox's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/entities.hpp"
#include "store/outbox_store.hpp"
#include "store/records.hpp"

namespace cobrador::store {

class LifecycleStore : public virtual OutboxStore {
 public:
  // Inserts `record` unless its service has an open (not withdrawn) cancellation: the open one
  // comes back, with false. A unique index decides, so that two requests at once make one.
  virtual std::pair<CancellationRecord, bool> add_cancellation(const CancellationRecord& record) = 0;
  virtual std::optional<CancellationRecord> open_cancellation(std::int64_t service_id) = 0;
  // Requested in [from, to), oldest first; every one when both are unset.
  virtual std::vector<CancellationRecord> cancellations(std::optional<Instant> from,
                                                        std::optional<Instant> to) = 0;
  // The cancellation is withdrawn (the customer re-engaged): audited by the caller.
  virtual void withdraw_cancellation(std::int64_t id, Instant at, std::string_view actor) = 0;
  // Requested cancellations whose service ended before `day`: due for deactivation.
  virtual std::vector<CancellationRecord> cancellations_ended_before(Date day) = 0;
  // A service's state set by a decision that needs no panel (a cancellation recorded or
  // withdrawn before the deactivation went out).
  virtual void set_service_state(std::int64_t service_id, ServiceState state, std::string_view reason) = 0;

  virtual std::optional<LockRecord> open_lock(std::int64_t service_id) = 0;
  // Open locks of a customer (for what reactivation requires).
  virtual std::vector<LockRecord> open_locks_of(std::int64_t customer_id) = 0;
  virtual void end_lock(std::int64_t lock_id, Instant at, std::string_view actor) = 0;
  // The customer's confirmed payments, oldest received first: the money a reactivation after a
  // lock and a re-engagement count from a day on (policy/money_since.hpp).
  virtual std::vector<Payment> confirmed_payments_of(std::int64_t customer_id) = 0;

  // Cancelled services and open locks whose purge day is on or before `until`.
  virtual std::vector<PurgeCandidate> purges_due_by(Date until) = 0;
  // True while a backup action of the service is pending or in flight (a failed one waits for
  // the operator's retry and holds nothing).
  virtual bool backup_in_flight(std::string_view service_ext_id) = 0;
  // How many actions of `kind` the service has had (numbers backups: s1:backup3).
  virtual int count_service_actions(std::string_view service_ext_id, ActionKind kind) = 0;

  // Charges for the billing system (`cobradorctl export charges`).
  virtual std::int64_t add_charge(const ChargeRecord& charge) = 0;
  // Not yet exported and due: their action is done (a backup that failed is not billed).
  virtual std::vector<ChargeRecord> charges_due() = 0;
  virtual void mark_charges_exported(const std::vector<std::int64_t>& ids, Instant at) = 0;

  virtual std::vector<CollectionsRow> collections() = 0;
  virtual MonthlyCounts monthly_counts(Instant from, Instant to) = 0;
};

}  // namespace cobrador::store
