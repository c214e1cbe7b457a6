// The schema history. Never edit a migration that has shipped: add the next one.
// Dates are day numbers since 1970-01-01 and instants are Unix seconds, both UTC; money is
// integer minor units with its ISO currency beside it.
#include "store/sqlite/migrations.hpp"

#include <array>

#include <fmt/format.h>

#include "store/sql/rows.hpp"

namespace cobrador::store::sqlite {

namespace {

constexpr std::string_view kBillingData = R"sql(
CREATE TABLE customers (
  id INTEGER PRIMARY KEY,
  ext_id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  emails TEXT NOT NULL DEFAULT '',
  phones TEXT NOT NULL DEFAULT '',
  locale TEXT NOT NULL DEFAULT 'en',
  customer_since INTEGER,
  tags TEXT NOT NULL DEFAULT '',
  exempt_until INTEGER,
  -- The first day the walk must look at this customer again; 0 = at the next walk.
  next_eval INTEGER NOT NULL DEFAULT 0,
  returned_debits_in_a_row INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX customers_next_eval ON customers(next_eval);

CREATE TABLE services (
  id INTEGER PRIMARY KEY,
  ext_id TEXT NOT NULL UNIQUE,
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  kind TEXT NOT NULL CHECK (kind IN ('hosting', 'vps', 'internet', 'phone', 'other')),
  panel TEXT NOT NULL DEFAULT '',
  account TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL DEFAULT 'active'
    CHECK (state IN ('active', 'suspended', 'locked', 'cancelling', 'cancelled', 'purged')),
  suspend_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX services_customer ON services(customer_id);

CREATE TABLE invoices (
  id INTEGER PRIMARY KEY,
  ext_id TEXT NOT NULL UNIQUE,
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  services TEXT NOT NULL DEFAULT '',
  amount INTEGER NOT NULL CHECK (amount >= 0),
  currency TEXT NOT NULL CHECK (length(currency) = 3),
  issued_on INTEGER NOT NULL,
  due_on INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open', 'paid', 'void'))
);
CREATE INDEX invoices_customer_open ON invoices(customer_id) WHERE status = 'open';

CREATE TABLE payments (
  id INTEGER PRIMARY KEY,
  ext_id TEXT NOT NULL UNIQUE,
  invoice_id INTEGER NOT NULL REFERENCES invoices(id),
  amount INTEGER NOT NULL CHECK (amount >= 0),
  currency TEXT NOT NULL CHECK (length(currency) = 3),
  method TEXT NOT NULL DEFAULT '',
  source TEXT NOT NULL DEFAULT '',
  reference TEXT NOT NULL DEFAULT '',
  evidence TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL CHECK (status IN ('claimed', 'pending', 'confirmed', 'rejected', 'returned')),
  received_on INTEGER NOT NULL,
  recorded_at INTEGER NOT NULL
);
CREATE INDEX payments_invoice ON payments(invoice_id);
)sql";

constexpr std::string_view kDunningState = R"sql(
CREATE TABLE episodes (
  id INTEGER PRIMARY KEY,
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  number INTEGER NOT NULL,
  started_on INTEGER NOT NULL,
  ended_at INTEGER,
  end_reason TEXT,
  UNIQUE (customer_id, number)
);
-- A customer has at most one open episode.
CREATE UNIQUE INDEX episodes_open ON episodes(customer_id) WHERE ended_at IS NULL;

CREATE TABLE stage_runs (
  episode_id INTEGER NOT NULL REFERENCES episodes(id),
  stage TEXT NOT NULL,
  ran_on INTEGER NOT NULL,
  superseded INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (episode_id, stage)
) WITHOUT ROWID;

-- The outbox: every external effect, written in the transaction that decided it.
CREATE TABLE actions (
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL
    CHECK (kind IN ('notify', 'suspend', 'unsuspend', 'terminate', 'backup', 'purge', 'event')),
  customer_id INTEGER REFERENCES customers(id),
  episode_id INTEGER REFERENCES episodes(id),
  stage TEXT NOT NULL DEFAULT '',
  target TEXT NOT NULL,
  payload TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending'
    CHECK (state IN ('pending', 'in_flight', 'done', 'failed', 'dead', 'cancelled')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  done_at INTEGER,
  reply TEXT NOT NULL DEFAULT ''
);
CREATE INDEX actions_pending ON actions(next_attempt_at) WHERE state = 'pending';
CREATE INDEX actions_episode ON actions(episode_id);

CREATE TABLE audit (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  subject TEXT NOT NULL,
  event TEXT NOT NULL,
  details TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_subject ON audit(subject, id);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;

CREATE TABLE walks (
  day INTEGER PRIMARY KEY,
  started_at INTEGER NOT NULL,
  finished_at INTEGER NOT NULL,
  evaluated INTEGER NOT NULL,
  actions INTEGER NOT NULL
);
)sql";

constexpr std::string_view kInboundAndDispatch = R"sql(
-- Webhook deliveries already applied, per source: a repeated webhook-id is answered 200 and
-- not applied twice (SPEC §6). A constraint, so that it holds across daemons too.
CREATE TABLE webhook_receipts (
  source TEXT NOT NULL,
  webhook_id TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  PRIMARY KEY (source, webhook_id)
) WITHOUT ROWID;

-- Which dispatcher holds an in-flight action, and until when; an expired lease returns the
-- action to the others (a daemon that died).
ALTER TABLE actions ADD COLUMN lease_owner TEXT;
ALTER TABLE actions ADD COLUMN lease_until INTEGER;
CREATE INDEX actions_in_flight ON actions(lease_until) WHERE state = 'in_flight';

-- A panel that answered 410 Gone is disabled until an operator enables it again.
CREATE TABLE panel_status (
  panel TEXT PRIMARY KEY,
  disabled_at INTEGER NOT NULL,
  reason TEXT NOT NULL
) WITHOUT ROWID;

-- What the operator must look at: dead actions, disabled panels, unconfirmed claims.
CREATE TABLE alerts (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  kind TEXT NOT NULL,
  subject TEXT NOT NULL,
  message TEXT NOT NULL,
  acknowledged_at INTEGER
);
CREATE INDEX alerts_open ON alerts(at) WHERE acknowledged_at IS NULL;
)sql";

constexpr std::string_view kReserved = "SELECT 1;";

constexpr std::string_view kPromisesAndClaims = R"sql(
-- Trust releases (SPEC §3 "promise"). At most one open promise per customer.
CREATE TABLE promises (
  id INTEGER PRIMARY KEY,
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  episode_id INTEGER REFERENCES episodes(id),
  granted_at INTEGER NOT NULL,
  granted_on INTEGER NOT NULL,
  deadline INTEGER NOT NULL,
  granted_by TEXT NOT NULL,
  reason TEXT NOT NULL,
  outcome TEXT NOT NULL DEFAULT 'open' CHECK (outcome IN ('open', 'kept', 'broken')),
  closed_at INTEGER,
  forced INTEGER NOT NULL DEFAULT 0,
  override_reason TEXT NOT NULL DEFAULT '',
  claim_payment_id INTEGER REFERENCES payments(id),
  released_services TEXT NOT NULL DEFAULT ''
);
CREATE INDEX promises_customer ON promises(customer_id, granted_on);
CREATE UNIQUE INDEX promises_open ON promises(customer_id) WHERE outcome = 'open';

-- A payment claim (status 'claimed') expires unconfirmed on this day; NULL for other payments.
ALTER TABLE payments ADD COLUMN claim_expires_on INTEGER;
-- Why a payment was confirmed or rejected by hand, or 'unconfirmed' for an expired claim.
ALTER TABLE payments ADD COLUMN status_reason TEXT NOT NULL DEFAULT '';
CREATE INDEX payments_claims ON payments(claim_expires_on) WHERE status = 'claimed';

-- Set when a claim of this customer expired unconfirmed: no more claim-based releases.
ALTER TABLE customers ADD COLUMN claims_flagged_at INTEGER;
)sql";

// The operator's hold on a service (a suspension made by hand, SPEC §3). Kept apart from
// suspend_reason, which records what the panel acknowledged: the hold exists from the moment
// the operator asks, so a payment or the walk arriving before the panel's yes cannot lift it.
constexpr std::string_view kManualSuspension = R"sql(
ALTER TABLE services ADD COLUMN manual_reason TEXT NOT NULL DEFAULT '';
)sql";

constexpr std::string_view kBankStatements = R"sql(
-- One row per statement imported (file or upload), with what came of it.
CREATE TABLE bank_imports (
  id INTEGER PRIMARY KEY,
  source TEXT NOT NULL,
  label TEXT NOT NULL,
  format TEXT NOT NULL,
  actor TEXT NOT NULL,
  imported_at INTEGER NOT NULL,
  entries INTEGER NOT NULL DEFAULT 0,
  matched INTEGER NOT NULL DEFAULT 0,
  unmatched INTEGER NOT NULL DEFAULT 0,
  returned INTEGER NOT NULL DEFAULT 0,
  already_imported INTEGER NOT NULL DEFAULT 0
);

-- Every booked bank entry ever recorded. The identity is UNIQUE: importing the same file, or
-- the same entries from another file, records nothing new, whichever process does it.
CREATE TABLE bank_entries (
  id INTEGER PRIMARY KEY,
  identity TEXT NOT NULL UNIQUE,
  import_id INTEGER NOT NULL REFERENCES bank_imports(id),
  origin TEXT NOT NULL,
  booking_date INTEGER NOT NULL,
  amount INTEGER NOT NULL CHECK (amount >= 0),
  currency TEXT NOT NULL CHECK (length(currency) = 3),
  direction TEXT NOT NULL CHECK (direction IN ('credit', 'debit')),
  status_code TEXT NOT NULL,
  reversal INTEGER NOT NULL,
  return_reason TEXT NOT NULL DEFAULT '',
  refs TEXT NOT NULL DEFAULT '',
  -- matched: paid an invoice; returned: a direct debit that came back; unmatched: money the
  -- operator must place; ignored: booked but not a payment (a plain debit).
  outcome TEXT NOT NULL CHECK (outcome IN ('matched', 'returned', 'unmatched', 'ignored')),
  explanation TEXT NOT NULL,
  invoice_id INTEGER REFERENCES invoices(id),
  payment_id INTEGER REFERENCES payments(id)
);
CREATE INDEX bank_entries_unmatched ON bank_entries(id) WHERE outcome = 'unmatched';

-- Why a payment came back (ISO 20022 reason, e.g. MD06); empty for the others.
ALTER TABLE payments ADD COLUMN return_reason TEXT NOT NULL DEFAULT '';
CREATE INDEX payments_reference ON payments(reference COLLATE NOCASE) WHERE reference <> '';
)sql";

constexpr std::string_view kLifecycle = R"sql(
-- One open cancellation per service: a second request (another agent, a double click, two
-- daemons) finds this one instead of making another. A withdrawn one (the customer
-- re-engaged) no longer counts, so the service can be cancelled again later.
CREATE TABLE cancellations (
  id INTEGER PRIMARY KEY,
  service_id INTEGER NOT NULL REFERENCES services(id),
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  requested_at INTEGER NOT NULL,
  requested_on INTEGER NOT NULL,
  requested_by TEXT NOT NULL,
  channel TEXT NOT NULL,
  reason_code TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  retention_offers TEXT NOT NULL DEFAULT '',
  scope TEXT NOT NULL CHECK (scope IN ('total', 'partial')),
  service_end INTEGER NOT NULL,
  purge_on INTEGER NOT NULL,
  rule TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL DEFAULT 'requested'
    CHECK (state IN ('requested', 'cancelled', 'purged', 'withdrawn')),
  withdrawn_at INTEGER,
  withdrawn_by TEXT
);
CREATE UNIQUE INDEX cancellations_open ON cancellations(service_id) WHERE state != 'withdrawn';
CREATE INDEX cancellations_due ON cancellations(service_end) WHERE state IN ('requested', 'cancelled');
CREATE INDEX cancellations_requested_at ON cancellations(requested_at);

-- A service ended for non-payment (a stage with lock: true, acknowledged by its panel).
CREATE TABLE locks (
  id INTEGER PRIMARY KEY,
  service_id INTEGER NOT NULL REFERENCES services(id),
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  stage TEXT NOT NULL,
  locked_on INTEGER NOT NULL,
  locked_at INTEGER NOT NULL,
  purge_on INTEGER,
  collections INTEGER NOT NULL DEFAULT 0,
  reactivated_at INTEGER,
  reactivated_by TEXT,
  purged_at INTEGER
);
CREATE UNIQUE INDEX locks_open ON locks(service_id) WHERE reactivated_at IS NULL AND purged_at IS NULL;
CREATE INDEX locks_purge ON locks(purge_on) WHERE reactivated_at IS NULL AND purged_at IS NULL;
CREATE INDEX actions_target_kind ON actions(target, kind);
)sql";

// SQLite 3.40 checks `x IN (three or more values)` by building a temporary b-tree every time a
// row is written: with these constraints a payment's or a bank entry's INSERT cost a fifth more
// (measured, docs/benchmarks.md). The same constraints as OR chains, which SQLite checks in
// place. Only the constraints' text changes, nothing on disk, so the table definitions are
// edited where SQLite keeps them, as SQLite's documentation describes for changing a CHECK
// constraint (ALTER TABLE, "making other kinds of table schema changes"); migrate() then moves
// the schema version on so that every connection reads the tables again.
constexpr std::string_view kChecksInPlace = R"sql(
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = replace(sql, 'kind IN (''hosting'', ''vps'', ''internet'', ''phone'', ''other'')',
  'kind = ''hosting'' OR kind = ''vps'' OR kind = ''internet'' OR kind = ''phone'' OR kind = ''other''')
  WHERE type = 'table' AND name = 'services';
UPDATE sqlite_schema SET sql = replace(sql, 'state IN (''active'', ''suspended'', ''locked'', ''cancelling'', ''cancelled'', ''purged'')',
  'state = ''active'' OR state = ''suspended'' OR state = ''locked'' OR state = ''cancelling'' OR state = ''cancelled'' OR state = ''purged''')
  WHERE type = 'table' AND name = 'services';
UPDATE sqlite_schema SET sql = replace(sql, 'status IN (''open'', ''paid'', ''void'')',
  'status = ''open'' OR status = ''paid'' OR status = ''void''')
  WHERE type = 'table' AND name = 'invoices';
UPDATE sqlite_schema SET sql = replace(sql, 'status IN (''claimed'', ''pending'', ''confirmed'', ''rejected'', ''returned'')',
  'status = ''claimed'' OR status = ''pending'' OR status = ''confirmed'' OR status = ''rejected'' OR status = ''returned''')
  WHERE type = 'table' AND name = 'payments';
UPDATE sqlite_schema SET sql = replace(sql, 'kind IN (''notify'', ''suspend'', ''unsuspend'', ''terminate'', ''backup'', ''purge'', ''event'')',
  'kind = ''notify'' OR kind = ''suspend'' OR kind = ''unsuspend'' OR kind = ''terminate'' OR kind = ''backup'' OR kind = ''purge'' OR kind = ''event''')
  WHERE type = 'table' AND name = 'actions';
UPDATE sqlite_schema SET sql = replace(sql, 'state IN (''pending'', ''in_flight'', ''done'', ''failed'', ''dead'', ''cancelled'')',
  'state = ''pending'' OR state = ''in_flight'' OR state = ''done'' OR state = ''failed'' OR state = ''dead'' OR state = ''cancelled''')
  WHERE type = 'table' AND name = 'actions';
UPDATE sqlite_schema SET sql = replace(sql, 'outcome IN (''open'', ''kept'', ''broken'')',
  'outcome = ''open'' OR outcome = ''kept'' OR outcome = ''broken''')
  WHERE type = 'table' AND name = 'promises';
UPDATE sqlite_schema SET sql = replace(sql, 'outcome IN (''matched'', ''returned'', ''unmatched'', ''ignored'')',
  'outcome = ''matched'' OR outcome = ''returned'' OR outcome = ''unmatched'' OR outcome = ''ignored''')
  WHERE type = 'table' AND name = 'bank_entries';
UPDATE sqlite_schema SET sql = replace(sql, 'state IN (''requested'', ''cancelled'', ''purged'', ''withdrawn'')',
  'state = ''requested'' OR state = ''cancelled'' OR state = ''purged'' OR state = ''withdrawn''')
  WHERE type = 'table' AND name = 'cancellations';
PRAGMA writable_schema = OFF;
)sql";

constexpr std::string_view kPricesAndCharges = R"sql(
-- What the service costs each period (the billing system's recurring price, imported):
-- reactivation after a lock asks for N of these up front. NULL: never imported.
ALTER TABLE services ADD COLUMN recurring_amount INTEGER CHECK (recurring_amount >= 0);
ALTER TABLE services ADD COLUMN recurring_currency TEXT NOT NULL DEFAULT '';

-- Money cobrador asks the billing system to invoice (the last-chance backup's fee):
-- `cobradorctl export charges` hands them over and marks them exported.
CREATE TABLE charges (
  id INTEGER PRIMARY KEY,
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  service_id INTEGER NOT NULL REFERENCES services(id),
  kind TEXT NOT NULL,
  amount INTEGER NOT NULL CHECK (amount >= 0),
  currency TEXT NOT NULL CHECK (length(currency) = 3),
  reason TEXT NOT NULL DEFAULT '',
  action_key TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  exported_at INTEGER
);
CREATE INDEX charges_service ON charges(service_id, kind);
CREATE INDEX charges_unexported ON charges(created_at) WHERE exported_at IS NULL;
)sql";

// The run of returned debits is counted from a customer's payments (store recount_returned_debits),
// which are found through their invoices: every invoice of a customer, not only the open ones.
constexpr std::string_view kInvoicesByCustomer = R"sql(
CREATE INDEX invoices_customer ON invoices(customer_id);
)sql";

// The operator's desk (docs/tasks.md): tasks, the contact log, the cause of each episode's
// non-payment, the responsible person of a customer, and cancellations awaiting their call.
constexpr std::string_view kOperatorsDesk = R"sql(
-- Work for a person. At most one open task per kind and subject, and never a second one for
-- the same kind, subject and scope (an episode, a cancellation): a rule that holds every day,
-- or two daemons walking at once, open it once.
CREATE TABLE tasks (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  subject TEXT NOT NULL,
  scope TEXT NOT NULL,
  customer_id INTEGER REFERENCES customers(id),
  title TEXT NOT NULL,
  details TEXT NOT NULL DEFAULT '{}',
  due_on INTEGER NOT NULL,
  state TEXT NOT NULL DEFAULT 'open' CHECK (state = 'open' OR state = 'done' OR state = 'dismissed'),
  assignee TEXT NOT NULL DEFAULT '',
  attempts INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  closed_at INTEGER,
  closed_by TEXT,
  outcome TEXT,
  note TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX tasks_once ON tasks(kind, subject, scope);
CREATE UNIQUE INDEX tasks_open_once ON tasks(kind, subject) WHERE state = 'open';
CREATE INDEX tasks_open ON tasks(due_on) WHERE state = 'open';
CREATE INDEX tasks_customer ON tasks(customer_id);

-- What an operator learned from a call, an SMS or an e-mail reply.
CREATE TABLE contacts (
  id INTEGER PRIMARY KEY,
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  at INTEGER NOT NULL,
  channel TEXT NOT NULL,
  direction TEXT NOT NULL,
  outcome TEXT NOT NULL,
  cause TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  operator TEXT NOT NULL,
  task_id INTEGER REFERENCES tasks(id)
);
CREATE INDEX contacts_customer ON contacts(customer_id, at);

-- Why the customer did not pay, one per episode: from a bank's return reason or a contact.
ALTER TABLE episodes ADD COLUMN cause TEXT NOT NULL DEFAULT '';
ALTER TABLE episodes ADD COLUMN cause_source TEXT NOT NULL DEFAULT '';
ALTER TABLE episodes ADD COLUMN cause_at INTEGER;
-- A cause learned before the episode it explains started (a debit returned after the invoice
-- was paid): the episode that starts for that invoice takes it (store note_cause).
ALTER TABLE customers ADD COLUMN pending_cause TEXT NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN pending_cause_source TEXT NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN pending_cause_at INTEGER;

-- Who may cancel or change the contract ("; "-separated names, e-mails or phones); empty: anyone.
ALTER TABLE customers ADD COLUMN responsible TEXT NOT NULL DEFAULT '';

-- A cancellation asked for while cancellation.confirm_by is phone: recorded at once, and
-- only a confirming call makes it a cancellation (dated by the request, not by the call).
CREATE TABLE cancellation_requests (
  id INTEGER PRIMARY KEY,
  service_id INTEGER NOT NULL REFERENCES services(id),
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  requested_at INTEGER NOT NULL,
  requested_by TEXT NOT NULL,
  contact TEXT NOT NULL DEFAULT '',
  request TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'awaiting_confirmation' CHECK (state = 'awaiting_confirmation' OR state = 'confirmed' OR state = 'withdrawn' OR state = 'lapsed'),
  attempts INTEGER NOT NULL DEFAULT 0,
  closed_at INTEGER,
  closed_by TEXT,
  cancellation_id INTEGER REFERENCES cancellations(id)
);
CREATE UNIQUE INDEX cancellation_requests_open ON cancellation_requests(service_id)
  WHERE state = 'awaiting_confirmation';
CREATE INDEX cancellation_requests_customer ON cancellation_requests(customer_id);

-- The alerts raised so far are the first tasks.
INSERT INTO tasks (kind, subject, scope, title, due_on, created_at, created_by)
  SELECT kind, subject, 'alert:' || id, message, at / 86400, at, 'system' FROM alerts
  WHERE acknowledged_at IS NULL AND id IN (SELECT MIN(id) FROM alerts WHERE acknowledged_at IS NULL GROUP BY kind, subject);
)sql";

// The outbox as a person looks at it (the console, `show customer`, `list dead-actions`,
// /metrics, `report monthly`): a customer's actions, the counts by state (the index alone
// answers them), and a month's acknowledged actions, without reading every action ever queued.
constexpr std::string_view kOutboxByCustomer = R"sql(
CREATE INDEX actions_customer ON actions(customer_id);
CREATE INDEX actions_state ON actions(state, attempts);
CREATE INDEX actions_done ON actions(kind, done_at) WHERE state = 'done';
)sql";

// The console at book size (200,000 customers). The Dunning page reads a month's episodes by
// the day they started, and their suspensions by episode. The search (id, name or e-mail, any
// part of it, case ignored) goes through a trigram full-text index instead of a LIKE over every
// customer (200 ms on 200,000). Writing that index row by row as customers are imported would
// make an import of 200,000 customers three times as long (4.7 s to 12.6 s), so the triggers
// only note which customers changed, and the next search brings the index up to date in one
// statement (SqlStore::find_customers). The index keeps its own copy of the three columns, so
// that a changed customer's old entry can be dropped by its id. (Not INSERT OR IGNORE in the
// triggers: an outer upsert's conflict rule would override it.)
constexpr std::string_view kConsoleAtBookSize = R"sql(
CREATE INDEX episodes_started ON episodes(started_on);
CREATE INDEX actions_done_episode ON actions(kind, episode_id) WHERE state = 'done';
CREATE VIRTUAL TABLE customers_search USING fts5(ext_id, name, emails, tokenize = 'trigram');
CREATE TABLE customers_search_pending (id INTEGER PRIMARY KEY);
INSERT INTO customers_search_pending (id) SELECT id FROM customers;
CREATE TRIGGER customers_search_insert AFTER INSERT ON customers BEGIN
  INSERT INTO customers_search_pending (id) SELECT new.id
    WHERE NOT EXISTS (SELECT 1 FROM customers_search_pending WHERE id = new.id);
END;
CREATE TRIGGER customers_search_update AFTER UPDATE OF ext_id, name, emails ON customers
  WHEN old.ext_id IS NOT new.ext_id OR old.name IS NOT new.name OR old.emails IS NOT new.emails BEGIN
  INSERT INTO customers_search_pending (id) SELECT new.id
    WHERE NOT EXISTS (SELECT 1 FROM customers_search_pending WHERE id = new.id);
END;
CREATE TRIGGER customers_search_delete AFTER DELETE ON customers BEGIN
  INSERT INTO customers_search_pending (id) SELECT old.id
    WHERE NOT EXISTS (SELECT 1 FROM customers_search_pending WHERE id = old.id);
END;
)sql";

// The customer's page (docs/customer-page.md): "I read this", kept beside the notice it is
// about, with when, from which address and through which link; one per notice (the first).
constexpr std::string_view kNoticeAcknowledgements = R"sql(
CREATE TABLE notice_acknowledgements (
  id INTEGER PRIMARY KEY,
  action_id INTEGER NOT NULL UNIQUE REFERENCES actions(id),
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  at INTEGER NOT NULL,
  address TEXT NOT NULL,
  source TEXT NOT NULL
);
CREATE INDEX notice_acknowledgements_customer ON notice_acknowledgements(customer_id);
)sql";

// The walk's audit rows by the customer's id (issue 20). Their subject is the customer's
// external id, whose order is not the walk's (customers are walked by id): indexed by subject,
// each batch of 1,000 customers wrote into a thousand places of an index as big as the whole
// audit trail, and that index was half of what the first walk after an import wrote
// (docs/benchmarks.md). A row the walk writes, or a customer's, service's or invoice's change
// (an import, the API), names its customer's id too, and is indexed by that id instead, in the order a walk
// visits the customers and an import meets them; every other row keeps its subject index. The id is a
// locator, not a reference: customers are never deleted, and a key checked per row would cost what the index
// saves. Rows written before keep no id and stay where they were.
constexpr std::string_view kAuditByCustomer = R"sql(
ALTER TABLE audit ADD COLUMN customer_id INTEGER;
DROP INDEX audit_subject;
CREATE INDEX audit_subject ON audit(subject, id) WHERE customer_id IS NULL;
CREATE INDEX audit_customer ON audit(customer_id, id) WHERE customer_id IS NOT NULL;
)sql";

// PostgreSQL's migration 16 checks the references a walk writes in bulk (episodes, stage
// runs, outbox rows) once per statement instead of a foreign key's query per row. SQLite keeps
// its foreign keys as they are: a walk's transaction does not check them
// (begin_with_own_references), every other one does, in the process and without a lock.
// The number is kept so that both databases count their versions alike.
constexpr std::string_view kReferencesPerStatement = "SELECT 1;";

constexpr std::array<Migration, 16> kMigrations{{
    {1, "billing data: customers, services, invoices, payments", kBillingData},
    {2, "dunning state: episodes, stage runs, outbox, audit, walks", kDunningState},
    {3, "inbound and dispatch: webhook receipts, action leases, panel status, alerts", kInboundAndDispatch},
    {4, "bank statements: imports, entries, payment return reasons", kBankStatements},
    {5, "promises and payment claims", kPromisesAndClaims},
    {6, "lifecycle: cancellations and locks", kLifecycle},
    {7, "manual suspension: the operator's hold on a service", kManualSuspension},
    {8, "constraints checked without temporary tables", kChecksInPlace},
    {9, "recurring prices of services, charges for the billing system", kPricesAndCharges},
    {10, "invoices by customer, for the run of returned debits", kInvoicesByCustomer},
    {11, "the operator's desk: tasks, contacts, causes, cancellations awaiting a call", kOperatorsDesk},
    {12, "the outbox by customer, by state and by the day it was done", kOutboxByCustomer},
    {13,
     "the console at book size: customers by any part of their id, name or e-mail, episodes by the day they "
     "started",
     kConsoleAtBookSize},
    {14, "acknowledgements of notices from the customer's page", kNoticeAcknowledgements},
    {15, "the walk's audit rows by the customer's id", kAuditByCustomer},
    {16, "the walk's references checked once per statement (PostgreSQL)", kReferencesPerStatement},
}};

}  // namespace

std::span<const Migration> migrations() { return kMigrations; }

int latest_version() { return kMigrations.back().version; }

int current_version(Database& db) {
  return static_cast<int>(sql::read_number(db.prepare("PRAGMA user_version")));
}

namespace {

// After each migration: other connections see a new schema version and read the definitions
// again, also those a migration edits in place (8), which SQLite does not count as a change of
// schema. (This connection keeps what it read: SqliteStore opens a new one after migrating.)
void move_schema_version_on(Database& db) {
  const auto version = sql::read_number(db.prepare("PRAGMA schema_version"));
  db.exec(fmt::format("PRAGMA schema_version = {}", version + 1));
}

}  // namespace

void migrate(Database& db, int target) {
  if (target < 0) target = latest_version();
  const int current = current_version(db);
  if (current > latest_version()) {
    throw StoreError(
        fmt::format("{}: schema version {} is newer than this cobrador knows ({}); upgrade cobrador",
                    db.path(), current, latest_version()));
  }
  // A build of SQLite may forbid writing the definitions by default (defensive mode).
  sqlite3_db_config(db.handle(), SQLITE_DBCONFIG_DEFENSIVE, 0, nullptr);
  for (const auto& migration : kMigrations) {
    if (migration.version <= current || migration.version > target) continue;
    db.exec("BEGIN IMMEDIATE");
    try {
      db.exec(migration.sql);
      move_schema_version_on(db);
      db.exec(fmt::format("PRAGMA user_version = {}", migration.version));
      db.exec("COMMIT");
    } catch (...) {
      db.exec("ROLLBACK");
      throw;
    }
  }
}

}  // namespace cobrador::store::sqlite
