// Implements the import of customers, services, invoices and payments: rows are checked
// first (every bad field reported with its row), then written in one transaction, then the
// customers whose data changed are reconsidered, so a file that settles a debt ends the
// episode at once.
#include "service/import.hpp"

#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "service/billing.hpp"
#include "service/import_rows.hpp"

namespace cobrador::service {

namespace {

using Row = ImportRow;

// Collects the problems of one file; each becomes "FILE:ROW: field: problem".
struct RowErrors {
  const std::string& label;
  std::vector<std::string> lines;
  void add(const Row& row, const std::string& field, const std::string& problem) {
    lines.push_back(fmt::format("{}:{}: {}: {}", label, row.line, field, problem));
  }
};

std::string field(const Row& row, const std::string& name) {
  const auto found = row.fields.find(name);
  return found == row.fields.end() ? std::string() : found->second;
}

std::string required(const Row& row, const std::string& name, RowErrors& errors) {
  auto value = field(row, name);
  if (value.empty()) errors.add(row, name, "is required");
  return value;
}

std::optional<Date> date_field(const Row& row, const std::string& name, RowErrors& errors, bool needed) {
  const auto text = field(row, name);
  if (text.empty()) {
    if (needed) errors.add(row, name, "is required");
    return std::nullopt;
  }
  auto day = parse_date(text);
  if (!day) {
    errors.add(row, name, day.error().message);
    return std::nullopt;
  }
  return *day;
}

std::optional<Money> money_fields(const Row& row, RowErrors& errors) {
  const auto code = required(row, "currency", errors);
  const auto amount = required(row, "amount", errors);
  if (code.empty() || amount.empty()) return std::nullopt;
  const auto currency = Currency::parse(code);
  if (!currency) {
    errors.add(row, "currency", currency.error().message);
    return std::nullopt;
  }
  auto money = parse_money(amount, *currency);
  if (!money) {
    errors.add(row, "amount", money.error().message);
    return std::nullopt;
  }
  return *money;
}

bool plausible_locale(const std::string& locale) {
  if (locale.size() < 2 || locale.size() > 12) return false;
  return std::all_of(locale.begin(), locale.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-'; });
}

Customer to_customer(const Row& row, RowErrors& errors) {
  Customer c;
  c.ext_id = required(row, "id", errors);
  c.name = required(row, "name", errors);
  c.emails = store::split_list(field(row, "email"));
  for (const auto& email : c.emails) {
    if (email.find('@') == std::string::npos) errors.add(row, "email", fmt::format("'{}' is not an e-mail address", email));
  }
  c.phones = store::split_list(field(row, "phone"));
  c.locale = field(row, "locale").empty() ? "en" : field(row, "locale");
  if (!plausible_locale(c.locale)) errors.add(row, "locale", fmt::format("'{}' is not a locale like en or pt-BR", c.locale));
  c.customer_since = date_field(row, "customer_since", errors, false);
  c.tags = store::split_list(field(row, "tags"));
  c.exempt_until = date_field(row, "exempt_until", errors, false);
  return c;
}

Service to_service(const Row& row, RowErrors& errors) {
  Service s;
  s.ext_id = required(row, "id", errors);
  s.customer_ext_id = required(row, "customer_id", errors);
  const auto kind = field(row, "kind").empty() ? std::optional(ServiceKind::other) : parse_service_kind(field(row, "kind"));
  if (!kind) errors.add(row, "kind", fmt::format("'{}' is not one of hosting, vps, internet, phone, other", field(row, "kind")));
  s.kind = kind.value_or(ServiceKind::other);
  s.panel = field(row, "panel");
  s.account = field(row, "account");
  return s;
}

Invoice to_invoice(const Row& row, RowErrors& errors) {
  Invoice inv;
  inv.ext_id = required(row, "id", errors);
  inv.customer_ext_id = required(row, "customer_id", errors);
  inv.services = store::split_list(field(row, "services"));
  if (const auto money = money_fields(row, errors)) inv.amount = *money;
  const auto due = date_field(row, "due_on", errors, true);
  const auto issued = date_field(row, "issued_on", errors, false);
  if (due) inv.due_on = *due;
  inv.issued_on = issued ? *issued : inv.due_on;
  if (due && issued && *issued > *due) errors.add(row, "issued_on", "is after due_on");
  const auto status = field(row, "status").empty() ? std::optional(InvoiceStatus::open)
                                                   : parse_invoice_status(field(row, "status"));
  if (!status) errors.add(row, "status", fmt::format("'{}' is not one of open, paid, void", field(row, "status")));
  inv.status = status.value_or(InvoiceStatus::open);
  return inv;
}

Payment to_payment(const Row& row, RowErrors& errors) {
  Payment p;
  p.ext_id = required(row, "id", errors);
  p.invoice_ext_id = required(row, "invoice_id", errors);
  if (const auto money = money_fields(row, errors)) p.amount = *money;
  p.method = field(row, "method");
  p.source = field(row, "source");
  p.reference = field(row, "reference");
  const auto status = parse_payment_status(required(row, "status", errors));
  if (!status && !field(row, "status").empty()) {
    errors.add(row, "status", fmt::format("'{}' is not one of claimed, pending, confirmed, rejected, returned",
                                          field(row, "status")));
  }
  p.status = status.value_or(PaymentStatus::pending);
  if (const auto day = date_field(row, "received_on", errors, true)) p.received_on = *day;
  return p;
}

ImportColumns columns_of(ImportKind kind) {
  switch (kind) {
    case ImportKind::customers:
      return {{"id", "name"}, {"email", "phone", "locale", "customer_since", "tags", "exempt_until"}};
    case ImportKind::services:
      return {{"id", "customer_id", "kind"}, {"panel", "account"}};
    case ImportKind::invoices:
      return {{"id", "customer_id", "amount", "currency", "due_on"}, {"services", "issued_on", "status"}};
    case ImportKind::payments:
      return {{"id", "invoice_id", "amount", "currency", "status", "received_on"}, {"method", "source", "reference"}};
  }
  return {};
}

// Writes one row through the same service functions as the HTTP API.
Result<store::UpsertOutcome> upsert(store::Store& store, ImportKind kind, const Row& row, Instant now,
                                    const Origin& origin, RowErrors& errors) {
  switch (kind) {
    case ImportKind::customers: return put_customer(store, to_customer(row, errors), now, origin);
    case ImportKind::services: return put_service(store, to_service(row, errors), now, origin);
    case ImportKind::invoices: return put_invoice(store, to_invoice(row, errors), now, origin);
    case ImportKind::payments: return put_payment(store, to_payment(row, errors), now, origin);
  }
  return make_error("unknown import kind");
}

// Checks every row before anything is written, so that all problems are listed at once.
std::vector<std::string> check_rows(ImportKind kind, const std::vector<Row>& rows, const std::string& label) {
  RowErrors errors{label, {}};
  std::set<std::string> ids;
  for (const auto& row : rows) {
    switch (kind) {
      case ImportKind::customers: to_customer(row, errors); break;
      case ImportKind::services: to_service(row, errors); break;
      case ImportKind::invoices: to_invoice(row, errors); break;
      case ImportKind::payments: to_payment(row, errors); break;
    }
    const auto id = field(row, "id");
    if (!id.empty() && !ids.insert(id).second) errors.add(row, "id", fmt::format("'{}' appears twice in the file", id));
  }
  return errors.lines;
}

std::string joined(const std::vector<std::string>& lines, std::size_t most = 20) {
  std::string out;
  for (std::size_t i = 0; i < lines.size() && i < most; ++i) out += (i ? "\n" : "") + lines[i];
  if (lines.size() > most) out += fmt::format("\n... and {} more problems", lines.size() - most);
  return out;
}

}  // namespace

std::optional<ImportKind> parse_import_kind(std::string_view word) {
  if (word == "customers") return ImportKind::customers;
  if (word == "services") return ImportKind::services;
  if (word == "invoices") return ImportKind::invoices;
  if (word == "payments") return ImportKind::payments;
  return std::nullopt;
}

Result<ImportReport> import_text(store::Store& store, const policy::Policy& policy, ImportKind kind,
                                 const std::string& text, const std::string& label, Instant now,
                                 const std::string& actor) {
  auto rows = read_import_rows(text, label, columns_of(kind));
  if (!rows) return rows.error();
  if (const auto problems = check_rows(kind, *rows, label); !problems.empty()) return make_error(joined(problems));

  ImportReport report;
  std::set<std::int64_t> touched;
  store.begin();
  try {
    for (const auto& row : *rows) {
      RowErrors errors{label, {}};
      auto outcome = upsert(store, kind, row, now, Origin{actor, fmt::format("{}:{}", label, row.line)}, errors);
      if (!outcome) {
        store.rollback();
        return make_error(fmt::format("{}:{}: {}", label, row.line, outcome.error().message));
      }
      ++report.rows;
      if (outcome->what == store::Upsert::unchanged) {
        ++report.unchanged;
        continue;
      }
      ++(outcome->what == store::Upsert::inserted ? report.inserted : report.updated);
      touched.insert(outcome->customer_id);
    }
    // A changed invoice or payment may leave nothing overdue: the episode ends now, not later.
    settle(store, policy, touched, now, actor);
    store.commit();
  } catch (...) {
    store.rollback();
    throw;
  }
  return report;
}

Result<ImportReport> import_file(store::Store& store, const policy::Policy& policy, ImportKind kind,
                                 const std::string& path, Instant now, const std::string& actor) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(fmt::format("{}: cannot be read", path));
  std::ostringstream text;
  text << in.rdbuf();
  return import_text(store, policy, kind, text.str(), path, now, actor);
}

}  // namespace cobrador::service
