// Implements the billing-data half of SqlStore: upserts by external id and the reads
// that show and the API use. An upsert writes only when a value really changed, so that
// importing the same file twice changes nothing.
#include <fmt/format.h>

#include "store/sql/payment_row.hpp"
#include "store/sql/sql_store.hpp"

namespace cobrador::store::sql {

namespace {

constexpr std::string_view kCustomerColumns =
    "id, ext_id, name, emails, phones, locale, customer_since, tags, exempt_until";

std::optional<std::int64_t> day_or_null(const std::optional<Date>& day) {
  return day ? std::optional<std::int64_t>(to_day_number(*day)) : std::nullopt;
}

std::optional<Date> optional_day(const Statement& stmt, int column) {
  const auto n = stmt.optional_int64(column);
  return n ? std::optional<Date>(from_day_number(*n)) : std::nullopt;
}

}  // namespace

SqlStore::SqlStore(std::unique_ptr<Connection> connection) : owned_(std::move(connection)), db_(*owned_) {}

// SQLite takes the write lock at BEGIN IMMEDIATE (no deadlock between two writers that both
// read first); PostgreSQL locks rows as they are written.
void SqlStore::begin() { db_.exec(db_.pick("BEGIN IMMEDIATE", "BEGIN")); }
void SqlStore::commit() { db_.exec("COMMIT"); }
void SqlStore::rollback() {
  if (db_.in_transaction()) db_.exec("ROLLBACK");
}

std::optional<std::int64_t> SqlStore::id_of(std::string_view table, std::string_view ext_id) {
  auto& stmt = db_.prepare(fmt::format("SELECT id FROM {} WHERE ext_id = ?", table));
  stmt.bind(1, ext_id);
  if (!stmt.step()) return std::nullopt;
  const auto id = stmt.int64(0);
  stmt.reset();
  return id;
}

void SqlStore::touch(std::int64_t customer_id) {
  db_.prepare("UPDATE customers SET next_eval = 0 WHERE id = ?").bind(1, customer_id).run();
}

Result<UpsertOutcome> SqlStore::upsert_customer(const Customer& c) {
  const auto existing = customer(c.ext_id);
  const bool same = existing && existing->name == c.name && existing->emails == c.emails &&
                    existing->phones == c.phones && existing->locale == c.locale &&
                    existing->customer_since == c.customer_since && existing->tags == c.tags &&
                    existing->exempt_until == c.exempt_until;
  if (same) return UpsertOutcome{existing->id, existing->id, Upsert::unchanged};
  auto& stmt = db_.prepare(
      "INSERT INTO customers (ext_id, name, emails, phones, locale, customer_since, tags, exempt_until, "
      "next_eval) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 0) "
      "ON CONFLICT (ext_id) DO UPDATE SET name = ?2, emails = ?3, phones = ?4, locale = ?5, customer_since = "
      "?6, "
      "tags = ?7, exempt_until = ?8, next_eval = 0 RETURNING id");
  stmt.bind(1, c.ext_id).bind(2, c.name).bind(3, join_list(c.emails)).bind(4, join_list(c.phones));
  stmt.bind(5, c.locale).bind(6, day_or_null(c.customer_since)).bind(7, join_list(c.tags));
  stmt.bind(8, day_or_null(c.exempt_until));
  const auto id = *returned_id(stmt);
  return UpsertOutcome{id, id, existing ? Upsert::updated : Upsert::inserted};
}

Result<UpsertOutcome> SqlStore::upsert_service(const Service& s) {
  const auto customer_id = id_of("customers", s.customer_ext_id);
  if (!customer_id) return make_error(fmt::format("customer_id: no customer '{}'", s.customer_ext_id));
  auto& find = db_.prepare("SELECT id, customer_id, kind, panel, account FROM services WHERE ext_id = ?");
  find.bind(1, s.ext_id);
  std::optional<std::int64_t> id;
  if (find.step()) {
    id = find.int64(0);
    const bool same = find.int64(1) == *customer_id && find.text(2) == to_string(s.kind) &&
                      find.text(3) == s.panel && find.text(4) == s.account;
    find.reset();
    if (same) return UpsertOutcome{*id, *customer_id, Upsert::unchanged};
  }
  // The state is cobrador's own; an import never changes it.
  auto& stmt = db_.prepare(
      "INSERT INTO services (ext_id, customer_id, kind, panel, account) VALUES (?1, ?2, ?3, ?4, ?5) "
      "ON CONFLICT (ext_id) DO UPDATE SET customer_id = ?2, kind = ?3, panel = ?4, account = ?5 RETURNING "
      "id");
  stmt.bind(1, s.ext_id).bind(2, *customer_id).bind(3, to_string(s.kind)).bind(4, s.panel).bind(5, s.account);
  const auto written = *returned_id(stmt);
  touch(*customer_id);
  return UpsertOutcome{written, *customer_id, id ? Upsert::updated : Upsert::inserted};
}

Result<UpsertOutcome> SqlStore::upsert_invoice(const Invoice& inv) {
  const auto customer_id = id_of("customers", inv.customer_ext_id);
  if (!customer_id) return make_error(fmt::format("customer_id: no customer '{}'", inv.customer_ext_id));
  auto& find = db_.prepare(
      "SELECT id, customer_id, services, amount, currency, issued_on, due_on, status FROM invoices WHERE "
      "ext_id = ?");
  find.bind(1, inv.ext_id);
  std::optional<std::int64_t> id;
  std::optional<std::int64_t> old_customer;
  if (find.step()) {
    id = find.int64(0);
    old_customer = find.int64(1);
    const bool same = *old_customer == *customer_id && find.text(2) == join_list(inv.services) &&
                      find.int64(3) == inv.amount.minor && find.text(4) == inv.amount.currency.code() &&
                      find.int64(5) == to_day_number(inv.issued_on) &&
                      find.int64(6) == to_day_number(inv.due_on) && find.text(7) == to_string(inv.status);
    find.reset();
    if (same) return UpsertOutcome{*id, *customer_id, Upsert::unchanged};
  }
  auto& stmt = db_.prepare(
      "INSERT INTO invoices (ext_id, customer_id, services, amount, currency, issued_on, due_on, status) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
      "ON CONFLICT (ext_id) DO UPDATE SET customer_id = ?2, services = ?3, amount = ?4, currency = ?5, "
      "issued_on = ?6, due_on = ?7, status = ?8 RETURNING id");
  stmt.bind(1, inv.ext_id).bind(2, *customer_id).bind(3, join_list(inv.services)).bind(4, inv.amount.minor);
  stmt.bind(5, inv.amount.currency.code())
      .bind(6, to_day_number(inv.issued_on))
      .bind(7, to_day_number(inv.due_on));
  stmt.bind(8, to_string(inv.status));
  const auto written = *returned_id(stmt);
  touch(*customer_id);
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
      "SELECT id, invoice_id, amount, method, source, reference, evidence, status, received_on "
      "FROM payments WHERE ext_id = ?");
  find.bind(1, p.ext_id);
  std::optional<std::int64_t> id;
  if (find.step()) {
    id = find.int64(0);
    const bool same = find.int64(1) == invoice_id && find.int64(2) == p.amount.minor &&
                      find.text(3) == p.method && find.text(4) == p.source && find.text(5) == p.reference &&
                      find.text(6) == p.evidence && find.text(7) == to_string(p.status) &&
                      find.int64(8) == to_day_number(p.received_on);
    find.reset();
    if (same) return UpsertOutcome{*id, customer_id, Upsert::unchanged};
  }
  auto& stmt = db_.prepare(
      "INSERT INTO payments (ext_id, invoice_id, amount, currency, method, source, reference, evidence, "
      "status, "
      "received_on, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) "
      "ON CONFLICT (ext_id) DO UPDATE SET invoice_id = ?2, amount = ?3, currency = ?4, method = ?5, source = "
      "?6, "
      "reference = ?7, evidence = ?8, status = ?9, received_on = ?10 RETURNING id");
  stmt.bind(1, p.ext_id).bind(2, invoice_id).bind(3, p.amount.minor).bind(4, p.amount.currency.code());
  stmt.bind(5, p.method)
      .bind(6, p.source)
      .bind(7, p.reference)
      .bind(8, p.evidence)
      .bind(9, to_string(p.status));
  stmt.bind(10, to_day_number(p.received_on)).bind(11, to_unix(now));
  const auto written = *returned_id(stmt);
  touch(customer_id);
  return UpsertOutcome{written, customer_id, id ? Upsert::updated : Upsert::inserted};
}

std::optional<Customer> SqlStore::read_customer(Statement& stmt) {
  if (!stmt.step()) return std::nullopt;
  Customer c;
  c.id = stmt.int64(0);
  c.ext_id = stmt.text(1);
  c.name = stmt.text(2);
  c.emails = split_list(stmt.text(3));
  c.phones = split_list(stmt.text(4));
  c.locale = stmt.text(5);
  c.customer_since = optional_day(stmt, 6);
  c.tags = split_list(stmt.text(7));
  c.exempt_until = optional_day(stmt, 8);
  stmt.reset();
  return c;
}

std::optional<Customer> SqlStore::customer(std::string_view ext_id) {
  auto& stmt = db_.prepare(fmt::format("SELECT {} FROM customers WHERE ext_id = ?", kCustomerColumns));
  stmt.bind(1, ext_id);
  return read_customer(stmt);
}

std::optional<Customer> SqlStore::customer(std::int64_t id) {
  auto& stmt = db_.prepare(fmt::format("SELECT {} FROM customers WHERE id = ?", kCustomerColumns));
  stmt.bind(1, id);
  return read_customer(stmt);
}

namespace {

constexpr std::string_view kServiceSelect =
    "SELECT s.id, s.ext_id, s.customer_id, c.ext_id, s.kind, s.panel, s.account, s.state, s.suspend_reason "
    "FROM services s JOIN customers c ON c.id = s.customer_id ";

constexpr std::string_view kInvoiceSelect =
    "SELECT i.id, i.ext_id, i.customer_id, c.ext_id, i.services, i.amount, i.currency, i.issued_on, "
    "i.due_on, "
    "i.status, i.amount - COALESCE((SELECT SUM(p.amount) FROM payments p WHERE p.invoice_id = i.id "
    "AND p.status = 'confirmed'), 0) FROM invoices i JOIN customers c ON c.id = i.customer_id ";

}  // namespace

std::vector<Service> SqlStore::read_services(Statement& stmt) {
  std::vector<Service> services;
  while (stmt.step()) {
    Service s;
    s.id = stmt.int64(0);
    s.ext_id = stmt.text(1);
    s.customer_id = stmt.int64(2);
    s.customer_ext_id = stmt.text(3);
    s.kind = parse_service_kind(stmt.text(4)).value_or(ServiceKind::other);
    s.panel = stmt.text(5);
    s.account = stmt.text(6);
    s.state = parse_service_state(stmt.text(7)).value_or(ServiceState::active);
    s.suspend_reason = stmt.text(8);
    services.push_back(std::move(s));
  }
  return services;
}

std::optional<Service> SqlStore::service(std::string_view ext_id) {
  auto& stmt = db_.prepare(fmt::format("{} WHERE s.ext_id = ?", kServiceSelect));
  stmt.bind(1, ext_id);
  auto found = read_services(stmt);
  return found.empty() ? std::nullopt : std::optional<Service>(found.front());
}

std::vector<Service> SqlStore::services_of(std::int64_t customer_id) {
  auto& stmt = db_.prepare(fmt::format("{} WHERE s.customer_id = ? ORDER BY s.id", kServiceSelect));
  stmt.bind(1, customer_id);
  return read_services(stmt);
}

std::vector<Service> SqlStore::services_in(ServiceState state) {
  auto& stmt = db_.prepare(fmt::format("{} WHERE s.state = ? ORDER BY c.ext_id, s.ext_id", kServiceSelect));
  stmt.bind(1, to_string(state));
  return read_services(stmt);
}

std::vector<InvoiceBalance> SqlStore::read_invoices(Statement& stmt) {
  std::vector<InvoiceBalance> invoices;
  while (stmt.step()) {
    Invoice inv;
    inv.id = stmt.int64(0);
    inv.ext_id = stmt.text(1);
    inv.customer_id = stmt.int64(2);
    inv.customer_ext_id = stmt.text(3);
    inv.services = split_list(stmt.text(4));
    inv.amount = Money{stmt.int64(5), stored_currency(stmt.text(6))};
    inv.issued_on = from_day_number(stmt.int64(7));
    inv.due_on = from_day_number(stmt.int64(8));
    inv.status = parse_invoice_status(stmt.text(9)).value_or(InvoiceStatus::open);
    const Money balance{stmt.int64(10), inv.amount.currency};
    invoices.push_back({std::move(inv), balance});
  }
  return invoices;
}

std::optional<InvoiceBalance> SqlStore::invoice(std::string_view ext_id) {
  auto& stmt = db_.prepare(fmt::format("{} WHERE i.ext_id = ?", kInvoiceSelect));
  stmt.bind(1, ext_id);
  auto found = read_invoices(stmt);
  return found.empty() ? std::nullopt : std::optional<InvoiceBalance>(found.front());
}

std::vector<InvoiceBalance> SqlStore::invoices_of(std::int64_t customer_id) {
  auto& stmt = db_.prepare(fmt::format("{} WHERE i.customer_id = ? ORDER BY i.due_on, i.id", kInvoiceSelect));
  stmt.bind(1, customer_id);
  return read_invoices(stmt);
}

std::int64_t SqlStore::count_customers() {
  auto& stmt = db_.prepare("SELECT COUNT(*) FROM customers");
  stmt.step();
  const auto count = stmt.int64(0);
  stmt.reset();
  return count;
}

}  // namespace cobrador::store::sql
