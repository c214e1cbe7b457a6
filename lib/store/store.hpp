// The repository interface (ARCHITECTURE rule 7): everything cobrador keeps goes through a
// Store. SQLite is the embedded default; policy, walk and dispatch never see which one runs.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "bank/reconcile.hpp"
#include "domain/entities.hpp"
#include "domain/promise.hpp"
#include "policy/decide.hpp"
#include "policy/snapshot.hpp"
#include "util/result.hpp"

namespace cobrador::store {

enum class Upsert { inserted, updated, unchanged };

struct UpsertOutcome {
  std::int64_t id = 0;
  std::int64_t customer_id = 0;  // whose dunning the row affects
  Upsert what = Upsert::unchanged;
};

struct ActionFilter {
  std::optional<ActionState> state;
  std::optional<std::int64_t> customer_id;
  std::optional<ActionKind> kind;
  std::size_t limit = 100000;
};

struct WalkRecord {
  Date day;
  Instant started_at;
  Instant finished_at;
  int evaluated = 0;
  int actions = 0;
};

// An invoice with its balance (amount minus confirmed payments), for show and the API.
struct InvoiceBalance {
  Invoice invoice;
  Money balance;
};

class Store {
 public:
  virtual ~Store() = default;

  // One writer at a time: begin() takes the write lock at once (BEGIN IMMEDIATE).
  virtual void begin() = 0;
  // begin() for a transaction whose writes point only at rows it read or wrote itself, as a
  // bank import's do (the open invoices it read, the import row and payments it inserted,
  // nothing deleted): the database need not look each reference up again as it is written.
  // SQLite skips enforcing foreign keys until the transaction ends (a third of the SQLite time
  // of a 100,000-entry import: docs/benchmarks.md); PostgreSQL checks as always. The
  // constraints stay declared and every other transaction is checked.
  virtual void begin_with_own_references() { begin(); }
  virtual void commit() = 0;
  virtual void rollback() = 0;

  // Billing data, upserted by external id. A reference to a row that does not exist
  // (an invoice's customer_id, a payment's invoice_id) is an Error naming it.
  virtual Result<UpsertOutcome> upsert_customer(const Customer& customer) = 0;
  virtual Result<UpsertOutcome> upsert_service(const Service& service) = 0;
  virtual Result<UpsertOutcome> upsert_invoice(const Invoice& invoice) = 0;
  virtual Result<UpsertOutcome> upsert_payment(const Payment& payment, Instant now) = 0;

  virtual std::optional<Customer> customer(std::string_view ext_id) = 0;
  virtual std::optional<Customer> customer(std::int64_t id) = 0;
  virtual std::optional<Service> service(std::string_view ext_id) = 0;
  virtual std::optional<InvoiceBalance> invoice(std::string_view ext_id) = 0;
  virtual std::vector<Service> services_of(std::int64_t customer_id) = 0;
  // Services in a state, across customers (list suspended).
  virtual std::vector<Service> services_in(ServiceState state) = 0;
  virtual std::vector<InvoiceBalance> invoices_of(std::int64_t customer_id) = 0;
  virtual std::vector<Payment> payments_of(std::int64_t customer_id) = 0;
  virtual std::int64_t count_customers() = 0;

  // The walk: customers whose next evaluation day is on or before `day`, in id order after
  // `after_id`; their snapshot; and the writing of a decision.
  virtual std::vector<std::int64_t> customers_due(Date day, std::int64_t after_id, int limit) = 0;
  virtual policy::CustomerSnapshot snapshot(std::int64_t customer_id) = 0;
  // Writes the decision: episode, stage runs, outbox rows, audit rows and the next
  // evaluation day. Returns the number of actions that were new.
  virtual int apply(const policy::CustomerSnapshot& customer, const policy::Decision& decision, Date today,
                    Instant now, std::string_view actor) = 0;
  virtual void record_walk(const WalkRecord& walk) = 0;
  virtual std::optional<WalkRecord> last_walk() = 0;

  // The outbox.
  virtual std::vector<Action> actions(const ActionFilter& filter) = 0;
  // The action was delivered (the panel said yes, the mail server accepted): marks it done and
  // applies what that means (a suspend makes the service suspended for its reason).
  virtual void complete_action(std::int64_t action_id, Instant at, std::string_view reply) = 0;

  // The audit trail, append-only. audit_of("customer:c-1") lists one customer's story.
  virtual void audit(const AuditEntry& entry) = 0;
  virtual std::vector<AuditEntry> audit_of(std::string_view subject) = 0;

  // ---- The dispatcher's part (lib/dispatch; sqlite_store_outbox.cpp) ----
  // Every method runs inside the caller's write transaction. `owner` names one dispatcher
  // (host:pid:nonce); a method that takes it changes an action only while that owner holds
  // its lease, so a dispatcher that lost an action to another never overwrites its result.

  // What the last look before sending found (confirm_send).
  enum class SendCheck { send, cancelled, lost };
  struct EpisodeState {
    int number = 0;
    bool ended = false;
  };

  // Panels and channels ("email", "sms") whose actions a claim leaves alone: the dispatcher
  // has enough of them waiting, and a slow panel must not crowd the others out.
  struct ClaimSkip {
    std::vector<std::string> panels;
    std::vector<std::string> channels;
  };
  // Takes up to `limit` actions due at `now` and leases them to `owner` until `lease_until`:
  // first in-flight ones whose lease ran out (their dispatcher died, or a panel never called
  // back), then pending ones whose next attempt has come, oldest first. Actions for a
  // disabled panel, or named in `skip`, are left alone. The claimed actions come back in_flight.
  virtual std::vector<Action> claim_actions(Instant now, std::string_view owner, Instant lease_until,
                                            int limit, const ClaimSkip& skip) = 0;
  // The last look before an action goes out: `send` renews the lease to `lease_until`;
  // `cancelled` when its episode ended meanwhile (it is cancelled and audited: a notice about
  // a debt that was paid must not go out); `lost` when the action is no longer ours.
  virtual SendCheck confirm_send(std::int64_t action_id, std::string_view owner, Instant now,
                                 Instant lease_until) = 0;
  // An attempt failed for a reason that may pass: pending again at `next_attempt_at`,
  // attempts + 1, the error kept and audited.
  virtual bool retry_later(std::int64_t action_id, std::string_view owner, Instant now,
                           Instant next_attempt_at, std::string_view error) = 0;
  // Gives up on an action: `dead` (too many attempts) or `failed` (refused for good). Attempts
  // + 1, audited, and an alert for the operator.
  virtual bool give_up(std::int64_t action_id, std::string_view owner, ActionState state, Instant now,
                       std::string_view error) = 0;
  // The panel took the action and will call back: it stays in_flight, held by "callback"
  // until `until`; if no callback comes by then it is claimed and sent again (same key).
  virtual bool await_callback(std::int64_t action_id, std::string_view owner, Instant now, Instant until,
                              std::string_view detail) = 0;
  // Hands a claimed action back unattempted (quiet hours, a disabled panel, a stopping
  // dispatcher): pending at `next_attempt_at`, attempts unchanged.
  virtual bool release_action(std::int64_t action_id, std::string_view owner, Instant next_attempt_at) = 0;
  // `cobradorctl retry`: a dead or failed action (by id or key) is pending again now with a
  // fresh count of attempts; its open alerts are acknowledged. An Error says why not.
  virtual Result<Action> retry_action(std::string_view id_or_key, Instant now, std::string_view actor) = 0;
  // A panel answered 410 Gone: it is called no more until an operator enables it again.
  // Returns false if it was already disabled; a new one is audited and alerted.
  virtual bool disable_panel(std::string_view panel, Instant now, std::string_view reason) = 0;
  // Queues an action the dispatcher derived from another (the reactivation notice after an
  // unsuspension); false when one with the same key exists. Audited with `why`.
  virtual bool add_action(const Action& action, Instant now, std::string_view why) = 0;
  virtual std::optional<EpisodeState> episode_state(std::int64_t episode_id) = 0;
  virtual std::vector<Action> episode_actions(std::int64_t episode_id) = 0;

  // ---- The HTTP API's part (lib/http; sqlite_store_inbound.cpp) ----

  // Requests share one transaction (group commit); each is fenced by a savepoint, so that a
  // refused or failed request leaves nothing behind while the rest of the batch commits.
  virtual void savepoint() = 0;
  virtual void release_savepoint() = 0;
  virtual void rollback_to_savepoint() = 0;
  // This connection serves requests from now on: every commit waits for the disk (an answered
  // request survives a power cut), statement journals stay in memory, and the page cache is big.
  virtual void prepare_for_requests() = 0;
  // Commits on this connection no longer copy the log into the database (a checkpoint can take
  // tens of milliseconds); another connection calls checkpoint() instead, off the commit path.
  virtual void leave_checkpoints_to_others() = 0;
  // Copies what it can of the write-ahead log into the database without blocking writers.
  virtual void checkpoint() = 0;
  // On the connection that writes, between two transactions: once the log has grown past
  // 16 MiB, copies the little the checkpoints left and starts the log over. Only the writer
  // can do this without waiting on itself (see the definition).
  virtual void restart_log_if_long() = 0;

  // Remembers a webhook delivery; false when this source's webhook_id was seen before
  // (a primary key, so it holds across processes sharing the database).
  virtual bool remember_webhook(std::string_view source, std::string_view webhook_id, Instant at) = 0;
  // Forgets deliveries received before `before`; older ones fail the replay window anyway.
  virtual void forget_webhooks_before(Instant before) = 0;

  virtual std::optional<Payment> payment(std::string_view ext_id) = 0;
  virtual std::optional<Action> action_by_key(std::string_view key) = 0;
  // A panel called back to say an asynchronous action failed. The action, if it still waits
  // for that callback, is pending again at `retry_at` with the panel's words as its error, or
  // dead (and alerted) when `retry_at` is empty: its attempts are used up. False when the
  // action was not waiting for a callback (nothing changed).
  virtual bool fail_action_by_panel(std::int64_t action_id, Instant at, std::string_view panel,
                                    std::string_view detail, std::optional<Instant> retry_at) = 0;
  // Something the operator must look at (money that matched no invoice).
  virtual void add_alert(Instant at, std::string_view kind, std::string_view subject,
                         std::string_view message) = 0;

  // For /healthz: a trivial read that fails when the database does not answer.
  virtual void ping() = 0;
  // For /metrics. Customers whose open episode reached each stage last, in `stage_order`
  // (the policy's order decides which of two stages run on one day is the current one).
  virtual std::map<std::string, std::int64_t> customers_by_stage(
      const std::vector<std::string>& stage_order) = 0;
  struct OutboxCounts {
    std::map<std::string, std::int64_t> by_state;  // every state, zero included
    std::int64_t attempts = 0;                     // delivery attempts over all actions
    std::int64_t done = 0;
  };
  virtual OutboxCounts outbox_counts() = 0;

  // ---- Manual suspension (sqlite_store_manual.cpp) ----
  // The operator's hold on a service: the reason of a suspension made by hand, nullopt when
  // there is none. It exists from the moment the operator asks (the service's state still
  // changes only on the panel's yes); while it is set, an acknowledged suspension carries its
  // reason, and an unsuspension not made by hand is cancelled before it goes out.
  virtual std::optional<std::string> manual_hold(std::int64_t service_id) = 0;
  virtual void set_manual_hold(std::int64_t service_id, const std::optional<std::string>& reason) = 0;
  // The panel has the service off already: its suspension now stands for `reason`.
  virtual void set_suspend_reason(std::int64_t service_id, std::string_view reason) = 0;
  // The panel actions of a service not finished yet (pending, in flight or failed), oldest first.
  virtual std::vector<Action> open_service_actions(std::string_view service_ext_id) = 0;
  // Cancels a pending or failed action that is no longer due; `why` is kept and audited on the
  // customer. False when the action is in another state (in flight, done...). The one way to
  // drop a queued action: suspension by hand, trust releases and re-engagement all use it.
  virtual bool cancel_action(std::int64_t action_id, Instant now, std::string_view actor,
                             std::string_view why) = 0;
  // How many actions made by hand the service has had (numbers the next one's key).
  virtual int manual_action_count(std::string_view service_ext_id) = 0;
  // ---- Promises and claims (sqlite_store_promises.cpp) ----
  // Every method runs inside the caller's write transaction (reads may run outside one).

  // A payment the customer reported (payment-claims), with what listing and expiry need.
  struct Claim {
    Payment payment;
    std::int64_t customer_id = 0;
    std::string customer_ext_id;
    std::optional<Date> expires_on;  // unconfirmed by this day's walk: rejected as 'unconfirmed'
    std::string status_reason;       // why it was confirmed or rejected
  };

  // Records a new open promise; returns its id. A second open promise of one customer is a
  // StoreError (the service checks first).
  virtual std::int64_t add_promise(const Promise& promise) = 0;
  // The customer's promises, oldest first (the eligibility rules read the whole history).
  virtual std::vector<Promise> promises_of(std::int64_t customer_id) = 0;
  virtual std::optional<Promise> open_promise(std::int64_t customer_id) = 0;
  // Across customers, newest first; only those with `outcome` when given.
  virtual std::vector<Promise> list_promises(std::optional<PromiseOutcome> outcome) = 0;
  virtual void close_promise(std::int64_t promise_id, PromiseOutcome outcome, Instant at) = 0;
  // An expired claim ends the release it caused now, not at its later deadline.
  virtual void move_promise_deadline(std::int64_t promise_id, Date deadline) = 0;
  // Cancels the customer's suspensions for non-payment that are queued but not carried out
  // (pending or failed), audited with `why`; returns their targets (service ext ids).
  virtual std::vector<std::string> cancel_queued_suspensions(std::int64_t customer_id, Instant now,
                                                             std::string_view why,
                                                             std::string_view actor) = 0;
  // Marks a payment as a claim that expires on `expires_on`, and makes sure the walk of that
  // day looks at its customer.
  virtual void set_claim_expiry(std::int64_t payment_id, Date expires_on) = 0;
  // Claims (payments recorded as claims, or still `claimed`), newest first; of one customer
  // when given.
  virtual std::vector<Claim> claims(std::optional<std::int64_t> customer_id) = 0;
  // The customer's claims still `claimed`, oldest first (policy::claim_expired says which expired).
  virtual std::vector<Claim> open_claims(std::int64_t customer_id) = 0;
  // confirm / reject by hand, or an expired claim: the new status and why.
  virtual void set_payment_status(std::int64_t payment_id, PaymentStatus status, std::string_view reason) = 0;
  // No more claim-based releases for this customer (an unconfirmed claim).
  virtual void flag_claims(std::int64_t customer_id, Instant at) = 0;
  virtual std::optional<Instant> claims_flagged_at(std::int64_t customer_id) = 0;
  // The customer's next evaluation is no later than its earliest open claim's expiry (a
  // decision sets next_eval from the stages alone, which know nothing of claims).
  virtual void bring_forward_to_claim_expiry(std::int64_t customer_id) = 0;
  // ---- Bank statements (sqlite_store_bank.cpp) ----
  // Every method runs inside the caller's write transaction (service/bank_import.cpp).

  // One statement imported: where it came from and what came of it.
  struct BankImport {
    std::int64_t id = 0;
    std::string source;  // the --source name, or the API's ?source=
    std::string label;   // the file's name
    std::string format;  // camt.053, camt.054, CNAB 240, CSV
    std::string actor;   // who imported it
    Instant imported_at;
    int entries = 0, matched = 0, unmatched = 0, returned = 0, already_imported = 0;
  };
  // A booked bank entry as recorded; outcome is matched, returned, unmatched or ignored.
  struct BankEntryRecord {
    std::int64_t id = 0;
    std::int64_t import_id = 0;
    std::string identity;
    std::string origin;
    Date booking_date;
    Money amount;
    std::string direction;  // credit or debit
    std::string status_code;
    bool reversal = false;
    std::string return_reason;
    std::vector<std::string> references;
    std::string outcome;
    std::string explanation;
    std::optional<std::int64_t> invoice_id;
    std::optional<std::int64_t> payment_id;
    std::string source;  // of its import, filled in by reads
    std::string label;   // of its import, filled in by reads
  };

  // Open invoices whose balance (amount - confirmed payments) is above zero, over the whole
  // book: what a bank credit may pay.
  virtual std::vector<bank::OpenInvoice> open_invoices_to_match() = 0;
  // Writes the import's row (id ignored) and returns its id; set_bank_import_counts fills in
  // the counts once the entries are recorded.
  virtual std::int64_t add_bank_import(const BankImport& import) = 0;
  virtual void set_bank_import_counts(const BankImport& import) = 0;
  // True when an entry with this identity was recorded by any earlier import.
  virtual bool bank_entry_recorded(std::string_view identity) = 0;
  // Records an entry and returns its id, or nullopt when its identity is recorded already: a
  // UNIQUE constraint, so two importers at once cannot both record it. The entry's id when it
  // is not 0 (an import numbers its rows in file order: last_bank_entry_id() + position),
  // else the next one.
  virtual std::optional<std::int64_t> record_bank_entry(const BankEntryRecord& entry) = 0;
  // The largest id of a recorded entry, 0 for none.
  virtual std::int64_t last_bank_entry_id() = 0;
  // Unmatched entries, oldest first, with their import's source and label.
  virtual std::vector<BankEntryRecord> unmatched_bank_entries() = 0;
  // The oldest `claimed` payment of an invoice: a customer said they paid it.
  virtual std::optional<Payment> claimed_payment_of(std::int64_t invoice_id) = 0;
  // The confirmed payment a returned direct debit undoes: the newest one whose reference or
  // id equals one of `references` (ASCII case ignored), else the newest of an invoice whose
  // id is one of them with exactly `amount`.
  virtual std::optional<Payment> payment_to_return(const std::vector<std::string>& references,
                                                   const Money& amount) = 0;
  // The payment came back: status `returned` with the bank's reason; the invoice counts as
  // owed again (an invoice the billing system marked paid is open again) and the customer's
  // returned_debits_in_a_row grows by one. Returns the customer's id.
  virtual std::int64_t return_payment(std::int64_t payment_id, std::string_view reason) = 0;
  // A payment the bank confirmed ends a run of returned debits.
  virtual void clear_returned_debits(std::int64_t customer_id) = 0;
  // Invoices with a `claimed` payment (see claimed_payment_of), read once per import instead
  // of once per credit: a statement of 100,000 credits usually confirms a handful of claims.
  virtual std::vector<std::int64_t> invoices_with_claims() = 0;
  // A new confirmed payment for an invoice (a bank credit matched to it), written as
  // upsert_payment writes it: its id. Nothing is written, and nullopt returned, when a payment
  // with the same ext_id exists (put_payment decides then). Its customer is left to
  // credit_customers.
  virtual std::optional<std::int64_t> add_bank_payment(const Payment& payment, Instant now) = 0;
  // Customers a bank import recorded payments for: touched for the next walk, their run of
  // returned debits over (clear_returned_debits). Given in id order, once for many payments, the
  // customers are visited in one pass instead of once per payment, all over the book.
  virtual void credit_customers(std::span<const std::int64_t> customer_ids) = 0;
  // Customers whose dunning a payment can change at once (walk::reconsider): an open episode,
  // an open promise, a suspended service. A bank import settles only those; the others are
  // marked for the next walk by the payment (touch) and nothing else would change for them.
  virtual std::vector<std::int64_t> customers_in_dunning() = 0;
  // ---- Cancellations, backups and purge (sqlite_store_lifecycle.cpp) ----

  // A cancellation asked by the customer (SPEC §3). state: requested (the service is
  // `cancelling`), cancelled (its panel deactivated it), purged, withdrawn (re-engaged).
  struct CancellationRecord {
    std::int64_t id = 0;
    std::int64_t service_id = 0;
    std::string service;  // ext id
    std::int64_t customer_id = 0;
    std::string customer;  // ext id
    Instant requested_at;
    Date requested_on;
    std::string requested_by;  // the actor
    std::string channel;       // api, cli, phone, email, chat, ...
    std::string reason_code;
    std::string note;
    std::vector<std::string> retention_offers;
    std::string scope = "partial";  // total or partial
    Date service_end;
    Date purge_on;
    std::string rule;  // why service_end is that day
    std::string state = "requested";
  };
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

  // A service ended for non-payment: written when its panel acknowledged the lock.
  struct LockRecord {
    std::int64_t id = 0;
    std::int64_t service_id = 0;
    std::string service;
    std::int64_t customer_id = 0;
    std::string customer;
    std::string stage;
    Date locked_on;
    std::optional<Date> purge_on;
    bool collections = false;
  };
  virtual std::optional<LockRecord> open_lock(std::int64_t service_id) = 0;
  // Open locks of a customer (for what reactivation requires).
  virtual std::vector<LockRecord> open_locks_of(std::int64_t customer_id) = 0;
  virtual void end_lock(std::int64_t lock_id, Instant at, std::string_view actor) = 0;

  // A service whose data is due to be purged: a cancelled one or a locked one.
  struct PurgeCandidate {
    std::string origin;  // "cancellation:<id>" or "lock:<id>", part of the action keys
    std::int64_t service_id = 0;
    std::string service;
    std::int64_t customer_id = 0;
    Date purge_on;
  };
  // Cancelled services and open locks whose purge day is on or before `until`.
  virtual std::vector<PurgeCandidate> purges_due_by(Date until) = 0;
  // True while a backup action of the service is pending or in flight (a failed one waits for
  // the operator's retry and holds nothing).
  virtual bool backup_in_flight(std::string_view service_ext_id) = 0;
  // How many actions of `kind` the service has had (numbers backups: s1:backup3).
  virtual int count_service_actions(std::string_view service_ext_id, ActionKind kind) = 0;
  // Where a done backup action says the backup went ("" when the panel did not say).
  virtual std::string backup_location(std::int64_t action_id) = 0;

  // `cobradorctl export collections`: open locks in a collections stage whose customer owes.
  struct CollectionsRow {
    Customer customer;
    std::vector<std::string> services;
    Date locked_on;
    std::vector<InvoiceBalance> invoices;  // with something left to pay
  };
  virtual std::vector<CollectionsRow> collections() = 0;

  // The monthly report: what happened between `from` and `to` (instants) and `first`..`last`.
  struct MonthlyCounts {
    std::map<std::string, std::int64_t> cancellations_by_reason;
    std::int64_t suspensions = 0;    // services suspended for non-payment (acknowledged)
    std::int64_t reactivations = 0;  // services unsuspended (payment, trust, operator)
    std::int64_t locks = 0;
    std::int64_t purges = 0;
  };
  virtual MonthlyCounts monthly_counts(Instant from, Instant to) = 0;

  // ---- Several daemons on one database (issue 9) ----

  // Tries to become the daemon that walks, and stays it for the life of this connection.
  // True while this store holds the lead. A SQLite file has one daemon: always true.
  virtual bool try_lead_walk() = 0;
  // The name of the daemon that leads the walk, as process_name() gives it, if any does: on
  // PostgreSQL the application name of the connection holding the lead; on SQLite this process.
  virtual std::optional<std::string> walk_leader() = 0;
  // "sqlite" or "postgresql", for /healthz and /metrics.
  virtual std::string_view backend() const = 0;
};

// Adds each of `actions` (add_action: one already queued under its key is left as it is);
// returns how many were new.
int add_actions(Store& store, const std::vector<Action>& actions, Instant now, std::string_view why);

// Whose rows a transaction's writes point at: `any` are checked as they are written; `own`
// are rows the transaction itself read or wrote (Store::begin_with_own_references).
enum class References { any, own };

// Runs `work` inside a write transaction: committed if it returns, rolled back if it throws.
template <class F>
auto in_transaction(Store& store, F&& work, References references = References::any) -> decltype(work()) {
  if (references == References::own) {
    store.begin_with_own_references();
  } else {
    store.begin();
  }
  try {
    if constexpr (std::is_void_v<decltype(work())>) {
      work();
      store.commit();
    } else {
      auto result = work();
      store.commit();
      return result;
    }
  } catch (...) {
    store.rollback();
    throw;
  }
}

// "a;b;c" <-> {"a","b","c"}: how lists are kept in a column and written in CSV files.
std::vector<std::string> split_list(std::string_view text);
std::string join_list(const std::vector<std::string>& items);

}  // namespace cobrador::store
