// The records the store's faces exchange with their users: what an upsert did, the filters
// and the rows of the outbox, promises, bank statements, cancellations and locks. Values
// only; the faces that read and write them are in the other headers of this folder.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/entities.hpp"
#include "domain/promise.hpp"

namespace cobrador::store {

// ---- The billing book (billing_store.hpp) ----

enum class Upsert { inserted, updated, unchanged };

struct UpsertOutcome {
  std::int64_t id = 0;
  std::int64_t customer_id = 0;  // whose dunning the row affects
  Upsert what = Upsert::unchanged;
};

// An invoice with its balance (amount minus confirmed payments), for show and the API.
struct InvoiceBalance {
  Invoice invoice;
  Money balance;
};

// ---- The walk (dunning_store.hpp) ----

struct WalkRecord {
  Date day;
  Instant started_at;
  Instant finished_at;
  int evaluated = 0;
  int actions = 0;
};

// ---- The outbox (outbox_store.hpp) ----

struct ActionFilter {
  std::optional<ActionState> state;
  std::optional<std::int64_t> customer_id;
  std::optional<ActionKind> kind;
  std::size_t limit = 100000;
};

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

// For /metrics.
struct OutboxCounts {
  std::map<std::string, std::int64_t> by_state;  // every state, zero included
  std::int64_t attempts = 0;                     // delivery attempts over all actions
  std::int64_t done = 0;
};

// ---- Promises and claims (promise_store.hpp) ----

// A payment the customer reported (payment-claims), with what listing and expiry need.
struct Claim {
  Payment payment;
  std::int64_t customer_id = 0;
  std::string customer_ext_id;
  std::optional<Date> expires_on;  // unconfirmed by this day's walk: rejected as 'unconfirmed'
  std::string status_reason;       // why it was confirmed or rejected
};

// ---- Bank statements (bank_book.hpp) ----

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

// ---- Cancellations, locks, backups and purge (lifecycle_store.hpp) ----

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

// A service whose data is due to be purged: a cancelled one or a locked one.
struct PurgeCandidate {
  std::string origin;  // "cancellation:<id>" or "lock:<id>", part of the action keys
  std::int64_t service_id = 0;
  std::string service;
  std::int64_t customer_id = 0;
  Date purge_on;
};

// `cobradorctl export collections`: open locks in a collections stage whose customer owes.
struct CollectionsRow {
  Customer customer;
  std::vector<std::string> services;
  Date locked_on;
  std::vector<InvoiceBalance> invoices;  // with something left to pay
};

// Money cobrador asks the billing system to invoice: a last-chance backup's fee. Written with
// the backup's action, handed over by `cobradorctl export charges` once that backup is done.
struct ChargeRecord {
  std::int64_t id = 0;
  std::int64_t customer_id = 0;
  std::string customer;  // ext id
  std::int64_t service_id = 0;
  std::string service;  // ext id
  std::string kind;     // last_chance_backup
  Money amount;
  std::string reason;      // the rule, for the invoice line
  std::string action_key;  // the action the charge is for
  Instant created_at;
  std::string created_by;
};

// The monthly report: what happened between `from` and `to` (instants) and `first`..`last`.
struct MonthlyCounts {
  std::map<std::string, std::int64_t> cancellations_by_reason;
  std::int64_t suspensions = 0;    // services suspended for non-payment (acknowledged)
  std::int64_t reactivations = 0;  // services unsuspended (payment, trust, operator)
  std::int64_t locks = 0;
  std::int64_t purges = 0;
};

// "a;b;c" <-> {"a","b","c"}: how lists are kept in a column and written in CSV files.
std::vector<std::string> split_list(std::string_view text);
std::string join_list(const std::vector<std::string>& items);

// The currency of the latest issued of `invoices` (a customer's book), if any.
std::optional<Currency> latest_invoice_currency(const std::vector<InvoiceBalance>& invoices);

}  // namespace cobrador::store
