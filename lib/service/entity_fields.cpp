// Implements the field rules shared by import files and the HTTP API.
#include "service/entity_fields.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "store/records.hpp"
#include "util/utf8.hpp"

namespace cobrador::service {

namespace {

using Kind = FieldProblem::Kind;

// Reads fields and records problems as it goes, so that every bad field is reported at once.
class Reader {
 public:
  Reader(const Fields& fields, FieldProblems& problems) : fields_(fields), problems_(problems) {}

  std::string field(const std::string& name) const {
    const auto found = fields_.find(name);
    return found == fields_.end() ? std::string() : found->second;
  }

  void add(Kind kind, const std::string& name, std::string problem) {
    problems_.push_back({kind, name, std::move(problem)});
  }

  std::string required(const std::string& name) {
    auto value = field(name);
    if (value.empty()) add(Kind::missing, name, "is required");
    return value;
  }

  std::optional<Date> date(const std::string& name, bool needed) {
    const auto text = field(name);
    if (text.empty()) {
      if (needed) add(Kind::missing, name, "is required");
      return std::nullopt;
    }
    auto day = parse_date(text);
    if (!day) {
      add(Kind::invalid, name, day.error().message);
      return std::nullopt;
    }
    return *day;
  }

  // One of an enumeration's words, or `otherwise` when the field is empty or another word. A
  // word that names no value is always a problem; an empty field only when `needed`.
  template <class E, std::size_t N>
  E choice(const std::string& name, const EnumName<E> (&names)[N], E otherwise, bool needed) {
    const auto word = needed ? required(name) : field(name);
    if (word.empty()) return otherwise;
    const auto value = value_named(names, word);
    if (!value) add(Kind::invalid, name, fmt::format("'{}' is not one of {}", word, names_listed(names)));
    return value.value_or(otherwise);
  }

  // An optional price: `amount_field` and `currency_field` both given, or both empty (nullopt).
  // One without the other is a problem: a price without its currency means nothing.
  std::optional<Money> optional_money(const std::string& amount_field, const std::string& currency_field) {
    const auto amount = field(amount_field);
    const auto code = field(currency_field);
    if (amount.empty() && code.empty()) return std::nullopt;
    if (amount.empty()) add(Kind::missing, amount_field, fmt::format("is required with {}", currency_field));
    if (code.empty()) add(Kind::missing, currency_field, fmt::format("is required with {}", amount_field));
    if (amount.empty() || code.empty()) return std::nullopt;
    const auto currency = Currency::parse(code);
    if (!currency) {
      add(Kind::invalid, currency_field, currency.error().message);
      return std::nullopt;
    }
    auto money = parse_money(amount, *currency);
    if (!money) {
      add(Kind::invalid, amount_field, money.error().message);
      return std::nullopt;
    }
    return *money;
  }

  // Every field is one line of UTF-8: an id, a name or an address with a CR/LF in it would
  // break every notice and panel call that carries it, and a NUL would cut it short.
  void check_lines() {
    for (const auto& [name, value] : fields_) {
      if (const auto problem = utf8::line_problem(value)) add(Kind::invalid, name, *problem);
    }
  }

  std::optional<Money> money() {
    const auto code = required("currency");
    const auto amount = required("amount");
    if (code.empty() || amount.empty()) return std::nullopt;
    const auto currency = Currency::parse(code);
    if (!currency) {
      add(Kind::invalid, "currency", currency.error().message);
      return std::nullopt;
    }
    auto money = parse_money(amount, *currency);
    if (!money) {
      add(Kind::invalid, "amount", money.error().message);
      return std::nullopt;
    }
    return *money;
  }

 private:
  const Fields& fields_;
  FieldProblems& problems_;
};

bool plausible_locale(const std::string& locale) {
  if (locale.size() < 2 || locale.size() > 12) return false;
  return std::all_of(locale.begin(), locale.end(),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-'; });
}

// A JSON value as field text: strings as they are, lists of strings ';'-joined.
std::optional<FieldProblem> json_text(const nlohmann::json& value, const std::string& name,
                                      std::string& out) {
  if (value.is_string()) {
    out = value.get<std::string>();
    return std::nullopt;
  }
  if (value.is_null()) {
    out.clear();
    return std::nullopt;
  }
  if (value.is_array()) {
    std::vector<std::string> items;
    for (const auto& item : value) {
      if (!item.is_string()) return FieldProblem{Kind::wrong_type, name, "list items must be strings"};
      items.push_back(item.get<std::string>());
    }
    out = fmt::format("{}", fmt::join(items, ";"));
    return std::nullopt;
  }
  return FieldProblem{Kind::wrong_type, name, "must be a string (amounts too: \"49.90\")"};
}

// Reads a row of an entity that belongs to another (a service or an invoice to its customer, a
// payment to its invoice): its own id and its owner's, which every such row has, then the
// rest by `read_rest`.
template <class Entity, class ReadRest>
Entity owned_entity(const Fields& fields, FieldProblems& problems, const std::string& owner_column,
                    std::string Entity::*owner, ReadRest read_rest) {
  Reader row(fields, problems);
  row.check_lines();
  Entity entity;
  entity.ext_id = row.required("id");
  entity.*owner = row.required(owner_column);
  read_rest(row, entity);
  return entity;
}

// A direct debit that came back carries the code its bank gave (ISO 20022 MD06, AM04..., or a
// CNAB 240 occurrence code): required for `returned`, meaningless for any other status.
void read_return_reason(Reader& row, Payment& p) {
  constexpr std::size_t kLongest = 35;  // ISO 20022 Max35Text, the longest a bank gives
  p.return_reason = row.field("return_reason");
  if (p.status != PaymentStatus::returned) {
    if (!p.return_reason.empty())
      row.add(Kind::invalid, "return_reason", "only a payment with status returned has a return reason");
    return;
  }
  if (p.return_reason.empty()) {
    row.add(Kind::missing, "return_reason",
            "is required when status is returned (the bank's code, e.g. MD06)");
    return;
  }
  const bool plain = std::all_of(p.return_reason.begin(), p.return_reason.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
  });
  if (p.return_reason.size() > kLongest || !plain) {
    row.add(Kind::invalid, "return_reason",
            fmt::format("'{}' is not a reason code (letters, digits, '-', '_' or '.', at most {})",
                        p.return_reason, kLongest));
  }
}

}  // namespace

bool ImportColumns::knows(const std::string& name) const {
  const auto has = [&](const std::vector<std::string>& list) {
    return std::find(list.begin(), list.end(), name) != list.end();
  };
  return has(required) || has(optional);
}

std::string ImportColumns::allowed() const {
  std::vector<std::string> all = required;
  all.insert(all.end(), optional.begin(), optional.end());
  return fmt::format("{}", fmt::join(all, ", "));
}

ImportColumns columns_of(ImportKind kind) {
  switch (kind) {
    case ImportKind::customers:
      return {{"id", "name"},
              {"email", "phone", "locale", "customer_since", "tags", "exempt_until", "responsible"}};
    case ImportKind::services:
      return {{"id", "customer_id", "kind"}, {"panel", "account", "recurring_amount", "recurring_currency"}};
    case ImportKind::invoices:
      return {{"id", "customer_id", "amount", "currency", "due_on"}, {"services", "issued_on", "status"}};
    case ImportKind::payments:
      return {{"id", "invoice_id", "amount", "currency", "status", "received_on"},
              {"method", "source", "reference", "return_reason"}};
  }
  return {};
}

Customer customer_from(const Fields& fields, FieldProblems& problems) {
  Reader row(fields, problems);
  row.check_lines();
  Customer c;
  c.ext_id = row.required("id");
  c.name = row.required("name");
  c.emails = store::split_list(row.field("email"));
  for (const auto& email : c.emails) {
    if (email.find('@') == std::string::npos) {
      row.add(Kind::invalid, "email", fmt::format("'{}' is not an e-mail address", email));
    }
  }
  c.phones = store::split_list(row.field("phone"));
  c.locale = row.field("locale").empty() ? "en" : row.field("locale");
  if (!plausible_locale(c.locale)) {
    row.add(Kind::invalid, "locale", fmt::format("'{}' is not a locale like en or pt-BR", c.locale));
  }
  c.customer_since = row.date("customer_since", false);
  c.tags = store::split_list(row.field("tags"));
  c.exempt_until = row.date("exempt_until", false);
  c.responsible = store::split_list(row.field("responsible"));
  return c;
}

Service service_from(const Fields& fields, FieldProblems& problems) {
  return owned_entity(fields, problems, "customer_id", &Service::customer_ext_id,
                      [](Reader& row, Service& s) {
                        s.kind = row.choice("kind", kServiceKindNames, ServiceKind::other, false);
                        s.panel = row.field("panel");
                        s.account = row.field("account");
                        s.recurring_amount = row.optional_money("recurring_amount", "recurring_currency");
                      });
}

Invoice invoice_from(const Fields& fields, FieldProblems& problems) {
  return owned_entity(fields, problems, "customer_id", &Invoice::customer_ext_id,
                      [](Reader& row, Invoice& inv) {
                        inv.services = store::split_list(row.field("services"));
                        if (const auto money = row.money()) inv.amount = *money;
                        const auto due = row.date("due_on", true);
                        const auto issued = row.date("issued_on", false);
                        if (due) inv.due_on = *due;
                        inv.issued_on = issued ? *issued : inv.due_on;
                        if (due && issued && *issued > *due)
                          row.add(Kind::invalid, "issued_on", "is after due_on");
                        inv.status = row.choice("status", kInvoiceStatusNames, InvoiceStatus::open, false);
                      });
}

Payment payment_from(const Fields& fields, FieldProblems& problems) {
  return owned_entity(fields, problems, "invoice_id", &Payment::invoice_ext_id, [](Reader& row, Payment& p) {
    if (const auto money = row.money()) p.amount = *money;
    p.method = row.field("method");
    p.source = row.field("source");
    p.reference = row.field("reference");
    p.status = row.choice("status", kPaymentStatusNames, PaymentStatus::pending, true);
    if (const auto day = row.date("received_on", true)) p.received_on = *day;
    read_return_reason(row, p);
  });
}

std::optional<FieldProblem> fields_from_json(const nlohmann::json& object, const ImportColumns& columns,
                                             Fields& fields) {
  for (const auto& [name, value] : object.items()) {
    if (!columns.knows(name)) {
      return FieldProblem{Kind::unknown, name, fmt::format("is unknown (allowed: {})", columns.allowed())};
    }
    if (auto problem = json_text(value, name, fields[name])) return problem;
  }
  for (const auto& name : columns.required) {
    if (!fields.count(name)) return FieldProblem{Kind::missing, name, "is missing"};
  }
  return std::nullopt;
}

}  // namespace cobrador::service
