// The fields the billing system writes for customers, services, invoices and payments, and
// the checking of those fields into entities. Import files and the HTTP API both come through
// here, so a value refused in a CSV row is refused in a request body with the same words.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "domain/entities.hpp"

namespace cobrador::service {

enum class ImportKind { customers, services, invoices, payments };

struct ImportColumns {
  std::vector<std::string> required;
  std::vector<std::string> optional;
  bool knows(const std::string& name) const;
  // "id, name, email, ..." for messages.
  std::string allowed() const;
};

// The columns (CSV) or fields (JSON) of each kind.
ImportColumns columns_of(ImportKind kind);

// Field name -> text; lists are ';'-joined, as in CSV.
using Fields = std::map<std::string, std::string>;

struct FieldProblem {
  enum class Kind { unknown, missing, wrong_type, invalid };
  Kind kind = Kind::invalid;
  std::string field;
  std::string problem;  // "is required", "'x' is not one of open, paid, void"
};
using FieldProblems = std::vector<FieldProblem>;

// Each builds its entity from the fields and appends every problem it finds; the entity is
// only meaningful when no problem was added.
Customer customer_from(const Fields& fields, FieldProblems& problems);
Service service_from(const Fields& fields, FieldProblems& problems);
Invoice invoice_from(const Fields& fields, FieldProblems& problems);
Payment payment_from(const Fields& fields, FieldProblems& problems);

// Reads one JSON object into fields: strings as they are, lists of strings ';'-joined, null
// as empty. Returns the first unknown, missing or mistyped field (amounts are strings,
// "49.90": no floating point near money).
std::optional<FieldProblem> fields_from_json(const nlohmann::json& object, const ImportColumns& columns,
                                             Fields& fields);

}  // namespace cobrador::service
