// Implements the bank-statement half of SqlStore: the open balances reconciliation needs,
// the record of imports and entries (de-duplicated by a UNIQUE identity), claims a bank line
// confirms, and returned direct debits.
#include <algorithm>
#include <unordered_map>

#include <fmt/format.h>

#include "store/sql/nullable.hpp"
#include "store/sql/record_select.hpp"
#include "store/sql/rows.hpp"
#include "store/sql/shared_reads.hpp"
#include "store/sql/sql_store.hpp"

namespace cobrador::store::sql {

namespace {

constexpr RecordSelect<BankEntryRecord> kBankEntries{
    "e.id, e.import_id, e.identity, e.origin, e.booking_date, e.amount, e.currency, e.direction, "
    "e.status_code, e.reversal, e.return_reason, e.refs, e.outcome, e.explanation, e.invoice_id, "
    "e.payment_id, b.source, b.label",
    "bank_entries e JOIN bank_imports b ON b.id = e.import_id",
    read_fields<&BankEntryRecord::id, &BankEntryRecord::import_id, &BankEntryRecord::identity,
                &BankEntryRecord::origin, &BankEntryRecord::booking_date, &BankEntryRecord::amount,
                &BankEntryRecord::direction, &BankEntryRecord::status_code, &BankEntryRecord::reversal,
                &BankEntryRecord::return_reason, &BankEntryRecord::references, &BankEntryRecord::outcome,
                &BankEntryRecord::explanation, &BankEntryRecord::invoice_id, &BankEntryRecord::payment_id,
                &BankEntryRecord::source, &BankEntryRecord::label>};

// The customer's run of returned debits, in an UPDATE of `customers`: their returned payments
// received after their last confirmed one (by day received, then id). Claimed, pending and
// rejected payments are not money either way and neither end nor lengthen a run.
constexpr std::string_view kTrailingReturns =
    "(SELECT COUNT(*) FROM payments p JOIN invoices i ON i.id = p.invoice_id "
    "WHERE i.customer_id = customers.id AND p.status = 'returned' AND NOT EXISTS ("
    "SELECT 1 FROM payments q JOIN invoices j ON j.id = q.invoice_id WHERE j.customer_id = customers.id "
    "AND q.status = 'confirmed' AND (q.received_on > p.received_on OR (q.received_on = p.received_on "
    "AND q.id > p.id))))";

}  // namespace

std::vector<bank::OpenInvoice> SqlStore::open_invoices_to_match() {
  // One pass over the confirmed payments (grouped) instead of a subquery per invoice: the
  // whole book is read at once for every statement.
  auto& stmt = db_.prepare(
      "SELECT i.id, i.ext_id, i.customer_id, i.currency, i.amount - COALESCE(paid.total, 0) AS balance, "
      "c.ext_id "
      "FROM invoices i JOIN customers c ON c.id = i.customer_id LEFT JOIN (SELECT invoice_id, SUM(amount) AS "
      "total "
      "FROM payments WHERE status = 'confirmed' GROUP BY invoice_id) paid ON paid.invoice_id = i.id "
      "WHERE i.status = 'open' AND i.amount - COALESCE(paid.total, 0) > 0 ORDER BY i.id");
  std::vector<bank::OpenInvoice> invoices;
  std::unordered_map<std::string, Currency> currencies;  // a handful of codes, parsed once
  while (stmt.step()) {
    const auto code = stmt.text(3);
    auto known = currencies.find(code);
    if (known == currencies.end()) known = currencies.emplace(code, stored_currency(code)).first;
    invoices.push_back(
        {stmt.int64(0), stmt.text(1), stmt.int64(2), Money{stmt.int64(4), known->second}, stmt.text(5), ""});
  }
  // Grown by doubling, the vector of a 200,000-invoice book holds room for 262,144 for the
  // whole import: 4 MB given back before the import's peak (docs/benchmarks.md).
  invoices.shrink_to_fit();
  return invoices;
}

std::int64_t SqlStore::add_bank_import(const BankImport& import) {
  auto& stmt = db_.prepare(fmt::format(
      "INSERT INTO bank_imports (source, label, format, actor, imported_at) VALUES (?, ?, ?, ?, ?){}",
      db_.returning_id()));
  stmt.bind_all(import.source, import.label, import.format, import.actor, to_unix(import.imported_at));
  return *db_.inserted_id(stmt);
}

void SqlStore::set_bank_import_counts(const BankImport& import) {
  db_.prepare(
         "UPDATE bank_imports SET entries = ?, matched = ?, unmatched = ?, returned = ?, already_imported = "
         "? "
         "WHERE id = ?")
      .bind_all(import.entries, import.matched, import.unmatched, import.returned, import.already_imported,
                import.id)
      .run();
}

bool SqlStore::bank_entry_recorded(std::string_view identity) {
  auto& stmt = db_.prepare("SELECT 1 FROM bank_entries WHERE identity = ?");
  stmt.bind(1, identity);
  const bool found = stmt.step();
  stmt.reset();
  return found;
}

std::optional<std::int64_t> SqlStore::record_bank_entry(const BankEntryRecord& e) {
  auto& stmt = db_.prepare(fmt::format(
      "INSERT INTO bank_entries (identity, import_id, origin, booking_date, amount, currency, direction, "
      "status_code, reversal, return_reason, refs, outcome, explanation, invoice_id, payment_id, id) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
      // No id: the next one. Not the identity column's own sequence: imports number their rows
      // themselves (file order), and on PostgreSQL a sequence would not know those numbers.
      "COALESCE(CAST(?16 AS BIGINT), (SELECT COALESCE(MAX(id), 0) + 1 FROM bank_entries))) "
      "ON CONFLICT (identity) DO NOTHING{}",
      db_.returning_id()));
  if (e.id == 0) lock_bank_entry_ids();
  stmt.bind_all(e.identity, e.import_id, e.origin, to_day_number(e.booking_date), e.amount.minor,
                e.amount.currency.code(), e.direction, e.status_code, e.reversal ? 1 : 0, e.return_reason,
                join_list(e.references), e.outcome, e.explanation, e.invoice_id, e.payment_id,
                id_or_null(e.id));
  return db_.inserted_id(stmt);
}

// Bank entries are numbered by whoever records them (an import: the last id and the entry's
// position). SQLite has one writer at a time; on PostgreSQL two imports (or an import and a
// bank webhook) on two daemons take turns through this lock, held until their transaction ends.
void SqlStore::lock_bank_entry_ids() {
  constexpr std::int64_t kBankEntryIds = 0x636f6272'0003;  // "cobr" + 3 (migrations 1, the walk 2)
  if (db_.is_postgresql()) db_.prepare("SELECT pg_advisory_xact_lock(?)").bind(1, kBankEntryIds).run();
}

std::int64_t SqlStore::last_bank_entry_id() {
  lock_bank_entry_ids();
  return read_number(db_.prepare("SELECT COALESCE(MAX(id), 0) FROM bank_entries"));
}

std::vector<BankEntryRecord> SqlStore::unmatched_bank_entries() {
  return select_all(db_, kBankEntries, "WHERE e.outcome = 'unmatched' ORDER BY e.id");
}

std::optional<BankEntryRecord> SqlStore::bank_entry(std::string_view identity) {
  return select_first(db_, kBankEntries, "WHERE e.identity = ?", identity);
}

bool SqlStore::place_bank_entry(std::int64_t entry_id, std::int64_t invoice_id, std::int64_t payment_id,
                                std::string_view explanation) {
  db_.prepare(
         "UPDATE bank_entries SET outcome = 'matched', invoice_id = ?, payment_id = ?, explanation = ? "
         "WHERE id = ? AND outcome = 'unmatched'")
      .bind_all(invoice_id, payment_id, explanation, entry_id)
      .run();
  return db_.changes() == 1;
}

std::optional<Payment> SqlStore::claimed_payment_of(std::int64_t invoice_id) {
  return select_first(db_, kPayments,
                      "WHERE p.invoice_id = ? AND p.status = 'claimed' ORDER BY p.received_on, p.id LIMIT 1",
                      invoice_id);
}

std::optional<Payment> SqlStore::payment_to_return(const std::vector<std::string>& references,
                                                   const Money& amount) {
  // `p.reference <> ''` lets SQLite use the partial NOCASE index on payments(reference).
  auto& by_reference = db_.prepare(kPayments.sql(
      fmt::format("WHERE p.status = 'confirmed' AND ((p.reference <> '' AND {}) OR p.ext_id = ?1) ORDER BY "
                  "p.id DESC LIMIT 1",
                  // Each as its database's index on the reference has it (migration 4).
                  db_.pick("p.reference = ?1 COLLATE NOCASE", "lower(p.reference) = lower(?1)"))));
  for (const auto& reference : references) {
    by_reference.bind(1, reference);
    if (auto payment = read_first(by_reference, read_payment)) return payment;
  }
  auto& by_invoice =
      db_.prepare(kPayments.sql("WHERE i.ext_id = ? AND p.status = 'confirmed' AND p.amount = ? AND "
                                "p.currency = ? ORDER BY p.id DESC LIMIT 1"));
  for (const auto& reference : references) {
    by_invoice.bind_all(reference, amount.minor, amount.currency.code());
    if (auto payment = read_first(by_invoice, read_payment)) return payment;
  }
  return std::nullopt;
}

std::int64_t SqlStore::return_payment(std::int64_t payment_id, std::string_view reason) {
  auto& find = db_.prepare(
      "SELECT i.id, i.customer_id FROM payments p JOIN invoices i ON i.id = p.invoice_id "
      "WHERE p.id = ?");
  find.bind(1, payment_id);
  const auto ids = read_first(find, [](Row& row) {
    const auto invoice_id = row.int64();
    return std::pair(invoice_id, row.int64());
  });
  if (!ids) throw StoreError(fmt::format("return_payment: no payment with id {}", payment_id));
  const auto [invoice_id, customer_id] = *ids;
  db_.prepare("UPDATE payments SET status = 'returned', return_reason = ? WHERE id = ?")
      .bind_all(reason, payment_id)
      .run();
  db_.prepare("UPDATE invoices SET status = 'open' WHERE id = ? AND status = 'paid'")
      .bind(1, invoice_id)
      .run();
  db_.prepare(fmt::format("UPDATE customers SET returned_debits_in_a_row = {}, next_eval = 0 WHERE id = ?",
                          kTrailingReturns))
      .bind(1, customer_id)
      .run();
  return customer_id;
}

void SqlStore::recount_returned_debits(std::int64_t customer_id) {
  // A customer with no run has nothing a confirmation could end: the common case reads nothing.
  db_
      .prepare(fmt::format(
          "UPDATE customers SET returned_debits_in_a_row = {} WHERE id = ? AND returned_debits_in_a_row <> 0",
          kTrailingReturns))
      .bind(1, customer_id)
      .run();
}

std::vector<std::int64_t> SqlStore::invoices_with_claims() {
  return read_rows(db_.prepare("SELECT DISTINCT invoice_id FROM payments WHERE status = 'claimed'"),
                   [](Row& row) { return row.int64(); });
}

std::optional<std::int64_t> SqlStore::add_bank_payment(const Payment& p, Instant now) {
  auto& insert = db_.prepare(
      fmt::format("INSERT INTO payments (ext_id, invoice_id, amount, currency, method, source, reference, "
                  "evidence, status, "
                  "received_on, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) "
                  "ON CONFLICT (ext_id) DO NOTHING{}",
                  db_.returning_id()));
  insert.bind_all(p.ext_id, p.invoice_id, p.amount.minor, p.amount.currency.code(), p.method, p.source,
                  p.reference, p.evidence, to_string(p.status), to_day_number(p.received_on), to_unix(now));
  return db_.inserted_id(insert);
}

// touch() and recount_returned_debits() in one statement, for up to 256 customers at a time.
void SqlStore::credit_customers(std::span<const std::int64_t> customer_ids) {
  constexpr std::size_t kPerStatement = 256;
  while (!customer_ids.empty()) {
    const auto n = std::min(kPerStatement, customer_ids.size());
    std::string placeholders(2 * n - 1, ',');
    for (std::size_t i = 0; i < n; ++i) placeholders[2 * i] = '?';
    auto& update =
        db_.prepare(fmt::format("UPDATE customers SET next_eval = 0, returned_debits_in_a_row = CASE WHEN "
                                "returned_debits_in_a_row = 0 "
                                "THEN 0 ELSE {} END WHERE id IN ({})",
                                kTrailingReturns, placeholders));
    for (std::size_t i = 0; i < n; ++i) update.bind(static_cast<int>(i + 1), customer_ids[i]);
    update.run();
    customer_ids = customer_ids.subspan(n);
  }
}

std::vector<std::int64_t> SqlStore::customers_in_dunning() {
  auto& stmt = db_.prepare(
      "SELECT customer_id FROM episodes WHERE ended_at IS NULL "
      "UNION SELECT customer_id FROM promises WHERE outcome = 'open' "
      "UNION SELECT customer_id FROM services WHERE state = 'suspended'");
  return read_rows(stmt, [](Row& row) { return row.int64(); });
}

namespace {

// policy/write_back.hpp's action key of payment `p` of invoice `i` at `stage`, spelled in SQL
// (?2 the panel), so that the unique index on actions.key answers "queued already".
std::string write_back_key_sql(std::string_view stage) {
  return fmt::format(
      "('c' || CAST(i.customer_id AS TEXT) || ':payment' || CAST(p.id AS TEXT) || ':{}:event:' || ?2)",
      stage);
}

// The columns payments_to_write_back reads, in its order.
policy::PaymentWriteBack read_write_back(Row& row) {
  policy::PaymentWriteBack payment;
  payment.payment_id = row.int64();
  payment.payment = row.text();
  payment.customer_id = row.int64();
  payment.invoice = row.text();
  const auto minor = row.int64();
  payment.amount = Money{minor, *Currency::parse(row.text())};
  payment.paid_on = row.day();
  payment.entry = row.text();
  return payment;
}

}  // namespace

std::vector<std::string> SqlStore::open_invoice_ids(std::string_view invoice_prefix) {
  auto& stmt = db_.prepare(
      "SELECT ext_id FROM invoices WHERE status = 'open' AND substr(ext_id, 1, length(?1)) = ?1 ORDER BY "
      "ext_id");
  stmt.bind(1, invoice_prefix);
  return read_rows(stmt, [](Row& row) { return row.text(); });
}

std::vector<policy::PaymentWriteBack> SqlStore::payments_to_write_back(std::string_view invoice_prefix,
                                                                       std::string_view panel) {
  auto& stmt = db_.prepare(
      "SELECT p.id, p.ext_id, i.customer_id, i.ext_id, p.amount, p.currency, p.received_on, e.identity "
      "FROM bank_entries e JOIN payments p ON p.id = e.payment_id JOIN invoices i ON i.id = p.invoice_id "
      "WHERE e.outcome = 'matched' AND p.status = 'confirmed' AND substr(i.ext_id, 1, length(?1)) = ?1 "
      "AND NOT EXISTS (SELECT 1 FROM actions a WHERE a.key = " +
      write_back_key_sql(policy::kPaymentStage) +
      ") "
      "ORDER BY p.id");
  stmt.bind(1, invoice_prefix).bind(2, panel);
  return read_rows(stmt, read_write_back);
}

std::vector<policy::ReturnWriteBack> SqlStore::returns_to_write_back(std::string_view invoice_prefix,
                                                                     std::string_view panel) {
  auto& stmt = db_.prepare(fmt::format(
      "SELECT p.id, p.ext_id, i.customer_id, i.ext_id, p.amount, p.currency, p.received_on, e.identity, "
      "r.identity, r.return_reason, r.booking_date "
      "FROM bank_entries r JOIN payments p ON p.id = r.payment_id JOIN invoices i ON i.id = p.invoice_id "
      "JOIN bank_entries e ON e.payment_id = p.id AND e.outcome = 'matched' "
      "WHERE r.outcome = 'returned' AND p.status = 'returned' AND substr(i.ext_id, 1, length(?1)) = ?1 "
      "AND EXISTS (SELECT 1 FROM actions a WHERE a.key = {} AND a.state = 'done') "
      "AND NOT EXISTS (SELECT 1 FROM actions a WHERE a.key = {}) "
      "ORDER BY r.id",
      write_back_key_sql(policy::kPaymentStage), write_back_key_sql(policy::kReturnStage)));
  stmt.bind(1, invoice_prefix).bind(2, panel);
  return read_rows(stmt, [](Row& row) {
    policy::ReturnWriteBack returned;
    returned.payment = read_write_back(row);
    returned.entry = row.text();
    returned.reason = row.text();
    returned.returned_on = row.day();
    return returned;
  });
}

std::vector<std::string> SqlStore::invoices_returned_unheard(std::string_view invoice_prefix,
                                                             std::string_view panel) {
  auto& stmt = db_.prepare(
      fmt::format("SELECT DISTINCT i.ext_id FROM payments p JOIN invoices i ON i.id = p.invoice_id "
                  "WHERE p.status = 'returned' AND substr(i.ext_id, 1, length(?1)) = ?1 "
                  "AND EXISTS (SELECT 1 FROM actions a WHERE a.key = {} AND a.state = 'done') "
                  "AND NOT EXISTS (SELECT 1 FROM actions a WHERE a.key = {} AND a.state = 'done') "
                  "ORDER BY i.ext_id",
                  write_back_key_sql(policy::kPaymentStage), write_back_key_sql(policy::kReturnStage)));
  stmt.bind(1, invoice_prefix).bind(2, panel);
  return read_rows(stmt, [](Row& row) { return row.text(); });
}

}  // namespace cobrador::store::sql
