// The one implementation of Store, written in SQL that SQLite and PostgreSQL both accept, over
// either connection (store/sql/connection.hpp); where the dialects differ it asks the
// connection. What only one database has (SQLite's log and checkpoints, PostgreSQL's walk
// leadership) lives in the backend's own subclass: sqlite::SqliteStore, postgres::PgStore.
#pragma once

#include <memory>

#include <nlohmann/json_fwd.hpp>

#include "store/sql/connection.hpp"
#include "store/store.hpp"

namespace cobrador::store::sql {

class SqlStore : public Store {
 public:
  // The connection must already be migrated to the latest schema.
  explicit SqlStore(std::unique_ptr<Connection> connection);

  void begin() override;
  void commit() override;
  void rollback() override;

  Result<UpsertOutcome> upsert_customer(const Customer& customer) override;
  Result<UpsertOutcome> upsert_service(const Service& service) override;
  Result<UpsertOutcome> upsert_invoice(const Invoice& invoice) override;
  Result<UpsertOutcome> upsert_payment(const Payment& payment, Instant now) override;

  std::optional<Customer> customer(std::string_view ext_id) override;
  std::optional<Customer> customer(std::int64_t id) override;
  std::optional<Service> service(std::string_view ext_id) override;
  std::optional<InvoiceBalance> invoice(std::string_view ext_id) override;
  std::vector<Service> services_of(std::int64_t customer_id) override;
  // The services of a batch of customers, by customer and id (services_of is a batch of one).
  std::vector<Service> services_of_batch(std::span<const std::int64_t> customer_ids);
  std::vector<Service> services_in(ServiceState state) override;
  std::vector<InvoiceBalance> invoices_of(std::int64_t customer_id) override;
  std::int64_t count_customers() override;
  std::vector<Customer> find_customers(std::string_view text, std::size_t limit) override;

  std::vector<std::int64_t> customers_due(Date day, std::int64_t after_id, int limit) override;
  bool customer_due(Date day, std::int64_t customer_id) override;
  std::vector<policy::CustomerSnapshot> snapshots(std::span<const std::int64_t> customer_ids) override;
  int apply(const policy::CustomerSnapshot& customer, const policy::Decision& decision, Date today,
            Instant now, std::string_view actor) override;
  std::vector<int> apply_all(std::span<const policy::CustomerSnapshot> customers,
                             std::span<const policy::Decision> decisions, Date today, Instant now,
                             std::string_view actor) override;
  bool writes_decisions_one_by_one() const override { return !db_.is_postgresql(); }
  void record_walk(const WalkRecord& walk) override;
  std::optional<WalkRecord> last_walk() override;

  std::vector<Action> actions(const ActionFilter& filter) override;
  void complete_action(std::int64_t action_id, Instant at, std::string_view reply) override;
  bool complete_action_in_flight(std::int64_t action_id, Instant at, std::string_view reply) override;

  void audit(const AuditEntry& entry) override;
  void audit_customer(const AuditEntry& entry, std::int64_t customer_id) override;
  std::vector<AuditEntry> audit_of(std::string_view subject) override;
  std::optional<AuditEntry> last_audit_of(std::string_view subject) override;

  // ---- The dispatcher's part (sql_store_outbox.cpp) ----
  std::vector<Action> claim_actions(Instant now, std::string_view owner, Instant lease_until, int limit,
                                    const ClaimSkip& skip) override;
  SendCheck confirm_send(std::int64_t action_id, std::string_view owner, Instant now,
                         Instant lease_until) override;
  bool retry_later(std::int64_t action_id, std::string_view owner, Instant now, Instant next_attempt_at,
                   std::string_view error) override;
  bool give_up(std::int64_t action_id, std::string_view owner, ActionState state, Instant now,
               std::string_view error) override;
  bool await_callback(std::int64_t action_id, std::string_view owner, Instant now, Instant until,
                      std::string_view detail) override;
  bool release_action(std::int64_t action_id, std::string_view owner, Instant next_attempt_at) override;
  Result<Action> retry_action(std::string_view id_or_key, Instant now, std::string_view actor) override;
  bool disable_panel(std::string_view panel, Instant now, std::string_view reason) override;
  bool add_action(const Action& action, Instant now, std::string_view why) override;
  std::optional<EpisodeState> episode_state(std::int64_t episode_id) override;
  std::vector<Action> episode_actions(std::int64_t episode_id) override;

  // ---- The HTTP API's part (sql_store_inbound.cpp) ----

  void savepoint() override;
  void release_savepoint() override;
  void rollback_to_savepoint() override;
  bool remember_webhook(std::string_view source, std::string_view webhook_id, Instant at) override;
  void forget_webhooks_before(Instant before) override;
  std::optional<Payment> payment(std::string_view ext_id) override;
  std::optional<Action> action_by_key(std::string_view key) override;
  bool fail_action_by_panel(std::int64_t action_id, Instant at, std::string_view panel,
                            std::string_view detail, std::optional<Instant> retry_at) override;
  void add_alert(Instant at, std::string_view kind, std::string_view subject,
                 std::string_view message) override;
  void ping() override;
  std::map<std::string, std::int64_t> customers_by_stage(
      const std::vector<std::string>& stage_order) override;
  OutboxCounts outbox_counts() override;

  // ---- Manual suspension (sql_store_manual.cpp) ----
  std::optional<std::string> manual_hold(std::int64_t service_id) override;
  void set_manual_hold(std::int64_t service_id, const std::optional<std::string>& reason) override;
  void set_suspend_reason(std::int64_t service_id, std::string_view reason) override;
  std::vector<Action> open_service_actions(std::string_view service_ext_id) override;
  bool cancel_action(std::int64_t action_id, Instant now, std::string_view actor,
                     std::string_view why) override;
  int manual_action_count(std::string_view service_ext_id) override;
  // ---- Promises and claims (sql_store_promises.cpp) ----
  std::int64_t add_promise(const Promise& promise) override;
  std::vector<Promise> promises_of(std::int64_t customer_id) override;
  std::optional<Promise> open_promise(std::int64_t customer_id) override;
  // The open promises of a batch of customers (open_promise is a batch of one).
  std::vector<Promise> open_promises_of_batch(std::span<const std::int64_t> customer_ids);
  std::vector<Promise> list_promises(std::optional<PromiseOutcome> outcome) override;
  void close_promise(std::int64_t promise_id, PromiseOutcome outcome, Instant at) override;
  void move_promise_deadline(std::int64_t promise_id, Date deadline) override;
  std::vector<std::string> cancel_queued_suspensions(std::int64_t customer_id, Instant now,
                                                     std::string_view why, std::string_view actor) override;
  void set_claim_expiry(std::int64_t payment_id, Date expires_on) override;
  std::vector<Claim> claims(std::optional<std::int64_t> customer_id) override;
  std::vector<Claim> open_claims(std::int64_t customer_id) override;
  std::vector<Claim> open_claims_of(std::span<const std::int64_t> customer_ids) override;
  void set_payment_status(std::int64_t payment_id, PaymentStatus status, std::string_view reason) override;
  void flag_claims(std::int64_t customer_id, Instant at) override;
  std::optional<Instant> claims_flagged_at(std::int64_t customer_id) override;
  void bring_forward_to_claim_expiry(std::span<const std::int64_t> customer_ids) override;
  // ---- Bank statements (sql_store_bank.cpp) ----
  std::vector<bank::OpenInvoice> open_invoices_to_match() override;
  std::int64_t add_bank_import(const BankImport& import) override;
  void set_bank_import_counts(const BankImport& import) override;
  bool bank_entry_recorded(std::string_view identity) override;
  std::optional<std::int64_t> record_bank_entry(const BankEntryRecord& entry) override;
  std::int64_t last_bank_entry_id() override;
  std::vector<BankEntryRecord> unmatched_bank_entries() override;
  std::optional<Payment> claimed_payment_of(std::int64_t invoice_id) override;
  std::optional<Payment> payment_to_return(const std::vector<std::string>& references,
                                           const Money& amount) override;
  std::int64_t return_payment(std::int64_t payment_id, std::string_view reason) override;
  void recount_returned_debits(std::int64_t customer_id) override;
  std::vector<std::int64_t> invoices_with_claims() override;
  void credit_customers(std::span<const std::int64_t> customer_ids) override;
  std::optional<std::int64_t> add_bank_payment(const Payment& payment, Instant now) override;
  std::vector<std::int64_t> customers_in_dunning() override;
  std::vector<std::string> open_invoice_ids(std::string_view invoice_prefix) override;
  std::optional<BankEntryRecord> bank_entry(std::string_view identity) override;
  bool place_bank_entry(std::int64_t entry_id, std::int64_t invoice_id, std::int64_t payment_id,
                        std::string_view explanation) override;
  std::vector<policy::PaymentWriteBack> payments_to_write_back(std::string_view invoice_prefix,
                                                               std::string_view panel) override;
  std::vector<policy::ReturnWriteBack> returns_to_write_back(std::string_view invoice_prefix,
                                                             std::string_view panel) override;
  std::vector<std::string> invoices_returned_unheard(std::string_view invoice_prefix,
                                                     std::string_view panel) override;
  // ---- Cancellations, backups and purge (sql_store_lifecycle.cpp) ----
  std::pair<CancellationRecord, bool> add_cancellation(const CancellationRecord& record) override;
  std::optional<CancellationRecord> open_cancellation(std::int64_t service_id) override;
  std::vector<CancellationRecord> cancellations(std::optional<Instant> from,
                                                std::optional<Instant> to) override;
  void withdraw_cancellation(std::int64_t id, Instant at, std::string_view actor) override;
  std::vector<CancellationRecord> cancellations_ended_before(Date day) override;
  void set_service_state(std::int64_t service_id, ServiceState state, std::string_view reason) override;
  std::optional<LockRecord> open_lock(std::int64_t service_id) override;
  std::vector<LockRecord> open_locks_of(std::int64_t customer_id) override;
  void end_lock(std::int64_t lock_id, Instant at, std::string_view actor) override;
  std::vector<Payment> confirmed_payments_of(std::int64_t customer_id) override;
  std::vector<PurgeCandidate> purges_due_by(Date until) override;
  bool backup_in_flight(std::string_view service_ext_id) override;
  int count_service_actions(std::string_view service_ext_id, ActionKind kind) override;
  std::string backup_location(std::int64_t action_id) override;
  std::int64_t add_charge(const ChargeRecord& charge) override;
  std::vector<ChargeRecord> charges_due() override;
  void mark_charges_exported(const std::vector<std::int64_t>& ids, Instant at) override;
  std::vector<CollectionsRow> collections() override;
  MonthlyCounts monthly_counts(Instant from, Instant to) override;

  // ---- The operator's desk (sql_store_desk.cpp) ----
  std::optional<std::int64_t> open_task(const policy::TaskRequest& task, Instant now,
                                        std::string_view actor) override;
  std::vector<TaskRecord> tasks(const TaskFilter& filter) override;
  std::optional<TaskRecord> task(std::int64_t id) override;
  std::optional<TaskRecord> open_task_of(std::string_view kind, std::string_view subject) override;
  bool close_task(std::int64_t id, std::string_view state, std::string_view outcome, std::string_view note,
                  Instant at, std::string_view actor) override;
  void reschedule_task(std::int64_t id, Date due_on, int attempts, std::string_view note) override;
  bool assign_task(std::int64_t id, std::string_view assignee) override;
  std::vector<OpenTasks> open_task_counts() override;
  bool acknowledge_notice(const NoticeAcknowledgement& acknowledgement) override;
  std::optional<NoticeAcknowledgement> notice_acknowledgement(std::int64_t action_id) override;
  std::int64_t add_contact(const ContactRecord& contact) override;
  std::vector<ContactRecord> contacts_of(std::int64_t customer_id) override;
  std::optional<EpisodeCause> episode_cause(std::int64_t customer_id) override;
  void note_cause(std::int64_t customer_id, std::string_view cause, std::string_view source, Instant at,
                  bool from_operator) override;
  std::vector<policy::EpisodeFacts> episode_facts(Date from, Date to) override;
  int episodes_started_since(std::int64_t customer_id, Date since) override;
  std::pair<CancellationRequestRecord, bool> add_cancellation_request(
      const CancellationRequestRecord& request) override;
  std::optional<CancellationRequestRecord> cancellation_request(std::int64_t id) override;
  std::optional<CancellationRequestRecord> awaiting_cancellation_request(std::int64_t service_id) override;
  std::vector<CancellationRequestRecord> awaiting_cancellation_requests() override;
  void set_cancellation_request_attempts(std::int64_t id, int attempts) override;
  void close_cancellation_request(std::int64_t id, std::string_view state, std::int64_t cancellation_id,
                                  Instant at, std::string_view actor) override;

 protected:
  Connection& connection() { return db_; }

 private:
  // SQLite's search index made current from the customers changed since (sql_store_billing.cpp).
  void refresh_customer_search();
  // complete_action's work; with `only_in_flight`, nothing happens (false) unless the action is.
  bool finish_action(std::int64_t action_id, Instant at, std::string_view reply, bool only_in_flight);
  void touch(std::int64_t customer_id);
  // Serialises the numbering of bank entries across daemons (sql_store_bank.cpp).
  void lock_bank_entry_ids();
  // The alerts of a decision not raised yet (sql_store_decisions.cpp).
  void raise_alerts(const policy::Decision& decision, Instant now);
  void end_episode(const policy::CustomerSnapshot& customer, const policy::Decision& decision,
                   std::int64_t episode_id, Instant now, std::string_view actor);
  // confirm_send's refusal: the claimed action is cancelled with `why`, audited.
  void cancel_in_flight(std::int64_t action_id, Instant now, const std::string& why);

  // What an acknowledged action means for cancellations, locks and purges (lifecycle file);
  // `payload` as finish_action parsed it.
  void apply_lifecycle_completion(ActionKind kind, const std::string& target, const nlohmann::json& payload,
                                  const std::string& reply, Instant at);

  std::unique_ptr<Connection> owned_;
  Connection& db_;
};

}  // namespace cobrador::store::sql
