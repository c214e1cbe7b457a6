// Implements the billing-data half of SqlStore: upserts by external id and the reads
// that show and the API use. An upsert writes only when a value really changed, so that
// importing the same file twice changes nothing.
#include <algorithm>

#include <fmt/format.h>

#include "store/sql/fragments.hpp"
#include "store/sql/nullable.hpp"
#include "store/sql/record_select.hpp"
#include "store/sql/rows.hpp"
#include "store/sql/sql_store.hpp"
#include "util/utf8.hpp"

namespace cobrador::store::sql {

namespace {

constexpr RecordSelect<Customer> kCustomers{
    "id, ext_id, name, emails, phones, locale, customer_since, tags, exempt_until, responsible", "customers",
    read_fields<&Customer::id, &Customer::ext_id, &Customer::name, &Customer::emails, &Customer::phones,
                &Customer::locale, &Customer::customer_since, &Customer::tags, &Customer::exempt_until,
                &Customer::responsible>};

Service read_service(Row& row) {
  Service s;
  row.into(s.id, s.ext_id, s.customer_id, s.customer_ext_id);
  s.kind = row.parsed(parse_service_kind, ServiceKind::other);
  row.into(s.panel, s.account);
  s.state = row.parsed(parse_service_state, ServiceState::active);
  row.into(s.suspend_reason);
  // NULL: the billing system never said the price (an empty currency goes with it).
  const auto recurring = row.optional_int64();
  const auto currency = row.text();
  if (recurring) s.recurring_amount = Money{*recurring, stored_currency(currency)};
  return s;
}

constexpr RecordSelect<Service> kServices{
    "s.id, s.ext_id, s.customer_id, c.ext_id, s.kind, s.panel, s.account, s.state, s.suspend_reason, "
    "s.recurring_amount, s.recurring_currency",
    "services s JOIN customers c ON c.id = s.customer_id", read_service};

// A service's recurring price as its two columns: minor units (NULL when unknown), currency.
std::optional<std::int64_t> recurring_minor(const Service& s) {
  return s.recurring_amount ? std::optional(s.recurring_amount->minor) : std::nullopt;
}
std::string recurring_code(const Service& s) {
  return s.recurring_amount ? std::string(s.recurring_amount->currency.code()) : std::string();
}

InvoiceBalance read_invoice(Row& row) {
  Invoice inv;
  row.into(inv.id, inv.ext_id, inv.customer_id, inv.customer_ext_id, inv.services, inv.amount, inv.issued_on,
           inv.due_on);
  inv.status = row.parsed(parse_invoice_status, InvoiceStatus::open);
  const Money balance{row.int64(), inv.amount.currency};
  return {std::move(inv), balance};
}

// Each invoice with what is left to pay of it: its amount less its confirmed payments.
constexpr RecordSelect<InvoiceBalance> kInvoices{
    "i.id, i.ext_id, i.customer_id, c.ext_id, i.services, i.amount, i.currency, i.issued_on, i.due_on, "
    "i.status, i.amount - COALESCE((SELECT SUM(p.amount) FROM payments p WHERE p.invoice_id = i.id "
    "AND p.status = 'confirmed'), 0)",
    "invoices i JOIN customers c ON c.id = i.customer_id", read_invoice};

}  // namespace

SqlStore::SqlStore(std::unique_ptr<Connection> connection) : owned_(std::move(connection)), db_(*owned_) {}

// SQLite takes the write lock at BEGIN IMMEDIATE (no deadlock between two writers that both
// read first); PostgreSQL locks rows as they are written.
void SqlStore::begin() { db_.exec(db_.pick("BEGIN IMMEDIATE", "BEGIN")); }
void SqlStore::commit() { db_.exec("COMMIT"); }
void SqlStore::rollback() {
  if (db_.in_transaction()) db_.exec("ROLLBACK");
}

// A customer already marked is not written again: an import touches a customer once per row
// of theirs, and rewriting the row (and its index entry) each time was a write for nothing.
void SqlStore::touch(std::int64_t customer_id) {
  db_.prepare("UPDATE customers SET next_eval = 0 WHERE id = ? AND next_eval <> 0")
      .bind(1, customer_id)
      .run();
}

Result<UpsertOutcome> SqlStore::upsert_customer(const Customer& c) {
  const auto existing = customer(c.ext_id);
  const bool same = existing && existing->name == c.name && existing->emails == c.emails &&
                    existing->phones == c.phones && existing->locale == c.locale &&
                    existing->customer_since == c.customer_since && existing->tags == c.tags &&
                    existing->exempt_until == c.exempt_until && existing->responsible == c.responsible;
  if (same) return UpsertOutcome{existing->id, existing->id, Upsert::unchanged};
  auto& stmt = db_.prepare(
      "INSERT INTO customers (ext_id, name, emails, phones, locale, customer_since, tags, exempt_until, "
      "responsible, next_eval) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 0) "
      "ON CONFLICT (ext_id) DO UPDATE SET name = ?2, emails = ?3, phones = ?4, locale = ?5, customer_since = "
      "?6, "
      "tags = ?7, exempt_until = ?8, responsible = ?9, next_eval = 0 RETURNING id");
  stmt.bind_all(c.ext_id, c.name, join_list(c.emails), join_list(c.phones), c.locale,
                day_number_or_null(c.customer_since), join_list(c.tags), day_number_or_null(c.exempt_until),
                join_list(c.responsible));
  const auto id = *returned_id(stmt);
  return UpsertOutcome{id, id, existing ? Upsert::updated : Upsert::inserted};
}

// The look-ups before an upsert of a service or an invoice are one statement: the customer it
// names (and whether it is marked for the next walk already) joined with the row of the same
// id, if any. On PostgreSQL each statement is a round trip, and an import makes a million.
Result<UpsertOutcome> SqlStore::upsert_service(const Service& s) {
  auto& find = db_.prepare(
      "SELECT c.id, c.next_eval, v.id, v.customer_id, v.kind, v.panel, v.account, v.recurring_amount, "
      "v.recurring_currency FROM customers c LEFT JOIN services v ON v.ext_id = ?2 WHERE c.ext_id = ?1");
  find.bind(1, s.customer_ext_id).bind(2, s.ext_id);
  if (!find.step()) return make_error(fmt::format("customer_id: no customer '{}'", s.customer_ext_id));
  const std::optional<std::int64_t> customer_id = find.int64(0);
  const bool marked = find.int64(1) == 0;
  std::optional<std::int64_t> id;
  if (!find.is_null(2)) {
    id = find.int64(2);
    const bool same = find.int64(3) == *customer_id && find.text(4) == to_string(s.kind) &&
                      find.text(5) == s.panel && find.text(6) == s.account &&
                      find.optional_int64(7) == recurring_minor(s) && find.text(8) == recurring_code(s);
    if (same) {
      find.reset();
      return UpsertOutcome{*id, *customer_id, Upsert::unchanged};
    }
  }
  find.reset();
  // The state is cobrador's own; an import never changes it.
  std::int64_t written = 0;
  if (id) {
    db_.prepare(
           "UPDATE services SET customer_id = ?, kind = ?, panel = ?, account = ?, recurring_amount = ?, "
           "recurring_currency = ? WHERE id = ?")
        .bind_all(*customer_id, to_string(s.kind), s.panel, s.account, recurring_minor(s), recurring_code(s),
                  *id)
        .run();
    written = *id;
  } else {
    // DO NOTHING: as for an invoice (upsert_invoice).
    const auto inserted = db_.inserted_id(
        db_.prepare(fmt::format("INSERT INTO services (ext_id, customer_id, kind, panel, "
                                "account, recurring_amount, recurring_currency) "
                                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (ext_id) DO NOTHING{}",
                                db_.returning_id()))
            .bind_all(s.ext_id, *customer_id, to_string(s.kind), s.panel, s.account, recurring_minor(s),
                      recurring_code(s)));
    if (!inserted) return upsert_service(s);
    written = *inserted;
  }
  if (!marked) touch(*customer_id);
  return UpsertOutcome{written, *customer_id, id ? Upsert::updated : Upsert::inserted};
}

Result<UpsertOutcome> SqlStore::upsert_invoice(const Invoice& inv) {
  auto& find = db_.prepare(
      "SELECT c.id, c.next_eval, i.id, i.customer_id, i.services, i.amount, i.currency, i.issued_on, "
      "i.due_on, i.status FROM customers c LEFT JOIN invoices i ON i.ext_id = ?2 WHERE c.ext_id = ?1");
  find.bind(1, inv.customer_ext_id).bind(2, inv.ext_id);
  if (!find.step()) return make_error(fmt::format("customer_id: no customer '{}'", inv.customer_ext_id));
  const std::optional<std::int64_t> customer_id = find.int64(0);
  const bool marked = find.int64(1) == 0;
  const auto services = join_list(inv.services);
  const auto status = to_string(inv.status);
  std::optional<std::int64_t> id;
  std::optional<std::int64_t> old_customer;
  if (!find.is_null(2)) {
    id = find.int64(2);
    old_customer = find.int64(3);
    const bool same = *old_customer == *customer_id && find.text(4) == services &&
                      find.int64(5) == inv.amount.minor && find.text(6) == inv.amount.currency.code() &&
                      find.int64(7) == to_day_number(inv.issued_on) &&
                      find.int64(8) == to_day_number(inv.due_on) && find.text(9) == status;
    if (same) {
      find.reset();
      return UpsertOutcome{*id, *customer_id, Upsert::unchanged};
    }
  }
  find.reset();
  std::int64_t written = 0;
  if (id) {
    db_.prepare(
           "UPDATE invoices SET customer_id = ?, services = ?, amount = ?, currency = ?, issued_on = ?, "
           "due_on = ?, status = ? WHERE id = ?")
        .bind_all(*customer_id, services, inv.amount.minor, inv.amount.currency.code(),
                  to_day_number(inv.issued_on), to_day_number(inv.due_on), status, *id)
        .run();
    written = *id;
  } else {
    // DO NOTHING: another daemon's import (PostgreSQL) may have inserted the row since the
    // read; then it is this row's update. Two texts written whole, not formatted per row.
    auto& insert = db_.prepare(db_.pick(
        "INSERT INTO invoices (ext_id, customer_id, services, amount, currency, issued_on, due_on, status) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (ext_id) DO NOTHING",
        "INSERT INTO invoices (ext_id, customer_id, services, amount, currency, issued_on, due_on, status) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (ext_id) DO NOTHING RETURNING id"));
    const auto inserted = db_.inserted_id(
        insert.bind_all(inv.ext_id, *customer_id, services, inv.amount.minor, inv.amount.currency.code(),
                        to_day_number(inv.issued_on), to_day_number(inv.due_on), status));
    if (!inserted) return upsert_invoice(inv);
    written = *inserted;
  }
  if (!marked) touch(*customer_id);
  if (old_customer && *old_customer != *customer_id) touch(*old_customer);
  return UpsertOutcome{written, *customer_id, id ? Upsert::updated : Upsert::inserted};
}

Result<UpsertOutcome> SqlStore::upsert_payment(const Payment& p, Instant now) {
  auto& invoice = db_.prepare("SELECT id, customer_id, currency FROM invoices WHERE ext_id = ?");
  invoice.bind(1, p.invoice_ext_id);
  if (!invoice.step()) return make_error(fmt::format("invoice_id: no invoice '{}'", p.invoice_ext_id));
  const auto invoice_id = invoice.int64(0);
  const auto customer_id = invoice.int64(1);
  const auto currency = invoice.text(2);
  invoice.reset();
  if (currency != p.amount.currency.code()) {
    return make_error(fmt::format("currency: the payment is in {} but invoice '{}' is in {}",
                                  p.amount.currency.code(), p.invoice_ext_id, currency));
  }
  auto& find = db_.prepare(
      "SELECT id, invoice_id, amount, method, source, reference, evidence, status, received_on, "
      "return_reason FROM payments WHERE ext_id = ?");
  find.bind(1, p.ext_id);
  std::optional<std::int64_t> id;
  if (find.step()) {
    id = find.int64(0);
    const bool same = find.int64(1) == invoice_id && find.int64(2) == p.amount.minor &&
                      find.text(3) == p.method && find.text(4) == p.source && find.text(5) == p.reference &&
                      find.text(6) == p.evidence && find.text(7) == to_string(p.status) &&
                      find.int64(8) == to_day_number(p.received_on) && find.text(9) == p.return_reason;
    find.reset();
    if (same) return UpsertOutcome{*id, customer_id, Upsert::unchanged};
  }
  auto& stmt = db_.prepare(
      "INSERT INTO payments (ext_id, invoice_id, amount, currency, method, source, reference, evidence, "
      "status, received_on, recorded_at, return_reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
      "?11, "
      "?12) ON CONFLICT (ext_id) DO UPDATE SET invoice_id = ?2, amount = ?3, currency = ?4, method = ?5, "
      "source = ?6, reference = ?7, evidence = ?8, status = ?9, received_on = ?10, return_reason = ?12 "
      "RETURNING id");
  stmt.bind_all(p.ext_id, invoice_id, p.amount.minor, p.amount.currency.code(), p.method, p.source,
                p.reference, p.evidence, to_string(p.status), to_day_number(p.received_on), to_unix(now),
                p.return_reason);
  const auto written = *returned_id(stmt);
  touch(customer_id);
  return UpsertOutcome{written, customer_id, id ? Upsert::updated : Upsert::inserted};
}

std::optional<Customer> SqlStore::customer(std::string_view ext_id) {
  return select_first(db_, kCustomers, "WHERE ext_id = ?", ext_id);
}

std::optional<Customer> SqlStore::customer(std::int64_t id) {
  return select_first(db_, kCustomers, "WHERE id = ?", id);
}

std::optional<Service> SqlStore::service(std::string_view ext_id) {
  return select_first(db_, kServices, "WHERE s.ext_id = ?", ext_id);
}

std::vector<Service> SqlStore::services_of(std::int64_t customer_id) {
  return services_of_batch({&customer_id, 1});
}

std::vector<Service> SqlStore::services_of_batch(std::span<const std::int64_t> customer_ids) {
  // The list names both sides of the join: with it on the services alone PostgreSQL hashed
  // the whole customers table for each batch (9 ms a batch of 1,000 on 200,000 customers).
  const auto ids = id_list(db_.dialect(), customer_ids);
  return select_all(
      db_, kServices,
      fmt::format("WHERE {} AND {} ORDER BY s.customer_id, s.id", in_id_list(db_.dialect(), "s.customer_id"),
                  in_id_list(db_.dialect(), "c.id")),
      ids, ids);
}

std::vector<Service> SqlStore::services_in(ServiceState state) {
  return select_all(db_, kServices, "WHERE s.state = ? ORDER BY c.ext_id, s.ext_id", to_string(state));
}

std::optional<InvoiceBalance> SqlStore::invoice(std::string_view ext_id) {
  return select_first(db_, kInvoices, "WHERE i.ext_id = ?", ext_id);
}

std::vector<InvoiceBalance> SqlStore::invoices_of(std::int64_t customer_id) {
  return select_all(db_, kInvoices, "WHERE i.customer_id = ? ORDER BY i.due_on, i.id", customer_id);
}

namespace {

// A trigram index finds a text of three characters or more; a shorter one is looked for row by
// row (rare: an operator types more than two letters).
bool trigram_searchable(std::string_view text) {
  const auto characters = std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;  // not a UTF-8 continuation byte
  });
  return characters >= 3;
}

// The text as one FTS5 phrase: inside double quotes everything is literal but the quote itself.
std::string fts_phrase(std::string_view text) {
  std::string phrase = "\"";
  for (const char c : text) phrase += c == '"' ? std::string("\"\"") : std::string(1, c);
  return phrase + '"';
}

}  // namespace

// SQLite's search index is brought up to date by the search, from the customers its triggers
// noted as changed (migration 13): the import writes no index. A savepoint, so that it holds
// inside a caller's transaction as well as alone.
void SqlStore::refresh_customer_search() {
  if (read_number(db_.prepare("SELECT EXISTS (SELECT 1 FROM customers_search_pending)")) == 0) return;
  db_.exec("SAVEPOINT customer_search");
  try {
    db_.exec(
        "DELETE FROM customers_search WHERE rowid IN (SELECT id FROM customers_search_pending);"
        "INSERT INTO customers_search (rowid, ext_id, name, emails) SELECT c.id, c.ext_id, c.name, c.emails "
        "FROM customers c WHERE c.id IN (SELECT id FROM customers_search_pending);"
        "DELETE FROM customers_search_pending;");
    db_.exec("RELEASE customer_search");
  } catch (...) {
    db_.exec("ROLLBACK TO customer_search; RELEASE customer_search");
    throw;
  }
}

std::vector<Customer> SqlStore::find_customers(std::string_view text, std::size_t limit) {
  // No stored id, name or e-mail holds invalid UTF-8 or a control character (the import refuses
  // them), and PostgreSQL would refuse such a text with an error rather than find nothing.
  if (utf8::line_problem(text)) return {};
  // The matches are sorted by name from the first kSorted found: a text that half the book
  // contains ("example.com") would otherwise sort 100,000 names for a page of 50.
  constexpr std::size_t kSorted = 1000;
  const auto order =
      fmt::format(") ORDER BY CASE WHEN ext_id = ? THEN 0 ELSE 1 END, name, ext_id LIMIT {}", limit);
  if (db_.dialect() == Dialect::sqlite && trigram_searchable(text)) {
    refresh_customer_search();
    return select_all(db_, kCustomers,
                      fmt::format("WHERE ext_id = ? OR id IN (SELECT rowid FROM customers_search WHERE "
                                  "customers_search MATCH ? LIMIT {}",
                                  kSorted) +
                          order,
                      text, fts_phrase(text), text);
  }
  // LIKE's own characters in the text are meant literally. SQLite's LIKE ignores ASCII case;
  // PostgreSQL's ILIKE ignores case and is answered by the trigram indexes of migration 13.
  std::string pattern = "%";
  for (const char c : text) {
    if (c == '%' || c == '_' || c == '!') pattern += '!';
    pattern += c;
  }
  pattern += '%';
  const auto like = pick(db_.dialect(), "LIKE", "ILIKE");
  return select_all(
      db_, kCustomers,
      fmt::format("WHERE ext_id = ? OR id IN (SELECT id FROM customers WHERE ext_id {0} ? ESCAPE '!' "
                  "OR name {0} ? ESCAPE '!' OR emails {0} ? ESCAPE '!' LIMIT {1}",
                  like, kSorted) +
          order,
      text, pattern, pattern, pattern, text);
}

std::int64_t SqlStore::count_customers() {
  return read_number(db_.prepare("SELECT COUNT(*) FROM customers"));
}

}  // namespace cobrador::store::sql
