// The field rules the HTTP API shares with the import (service/entity_fields): a JSON body
// becomes fields, fields become an entity, and each problem names its field and kind.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "service/entity_fields.hpp"

using namespace cobrador;
using namespace cobrador::service;
using Kind = FieldProblem::Kind;

namespace {

std::optional<FieldProblem> read(ImportKind kind, const char* text, Fields& fields) {
  return fields_from_json(nlohmann::json::parse(text), columns_of(kind), fields);
}

}  // namespace

// Strings pass as they are, lists of strings are ';'-joined, null is empty.
TEST_CASE("a JSON body becomes the same fields a CSV row gives", "[http]") {
  Fields fields;
  REQUIRE(!read(ImportKind::customers, R"({"id": "c1", "name": "Ana", "email": ["a@x.com", "b@x.com"],
                                            "tags": null})",
                fields));
  CHECK(fields.at("email") == "a@x.com;b@x.com");
  CHECK(fields.at("tags").empty());
  FieldProblems problems;
  const auto customer = customer_from(fields, problems);
  CHECK(problems.empty());
  CHECK(customer.emails == std::vector<std::string>{"a@x.com", "b@x.com"});
  CHECK(customer.locale == "en");
}

// Unknown, missing and mistyped fields are refused by name and kind.
TEST_CASE("JSON fields: unknown, missing and wrong types", "[http]") {
  Fields fields;
  auto problem = read(ImportKind::invoices, R"({"id": "i1", "customer": "c1"})", fields);
  REQUIRE(problem);
  CHECK(problem->kind == Kind::unknown);
  CHECK(problem->field == "customer");
  fields.clear();
  problem = read(ImportKind::invoices, R"({"id": "i1", "customer_id": "c1", "amount": 10, "currency": "BRL",
                                           "due_on": "2026-03-01"})",
                 fields);
  REQUIRE(problem);
  CHECK(problem->kind == Kind::wrong_type);
  CHECK(problem->field == "amount");
  CHECK(problem->problem == "must be a string (amounts too: \"49.90\")");
  fields.clear();
  problem = read(ImportKind::invoices, R"({"id": "i1", "customer_id": "c1", "services": ["s1", 2]})", fields);
  REQUIRE(problem);
  CHECK(problem->field == "services");
  CHECK(problem->problem == "list items must be strings");
  fields.clear();
  problem = read(ImportKind::payments, R"({"id": "p1", "invoice_id": "i1"})", fields);
  REQUIRE(problem);
  CHECK(problem->kind == Kind::missing);
  CHECK(problem->field == "amount");
}

// Values are judged by the same rules as import rows, every problem listed with its field.
TEST_CASE("entity checks name every bad field", "[http]") {
  FieldProblems problems;
  invoice_from({{"id", "i1"},
                {"customer_id", ""},
                {"amount", "49.901"},
                {"currency", "BRL"},
                {"due_on", "2026-02-30"},
                {"status", "paid?"}},
               problems);
  REQUIRE(problems.size() == 4);
  CHECK(problems[0].field == "customer_id");
  CHECK(problems[0].kind == Kind::missing);
  CHECK(problems[1].field == "amount");
  CHECK(problems[1].problem == "'49.901' is not an amount in BRL: BRL has 2 decimal places");
  CHECK(problems[2].field == "due_on");
  CHECK(problems[3].field == "status");
  CHECK(problems[3].kind == Kind::invalid);

  problems.clear();
  const auto payment = payment_from({{"id", "p1"},
                                     {"invoice_id", "i1"},
                                     {"amount", "10"},
                                     {"currency", "JPY"},
                                     {"status", "confirmed"},
                                     {"received_on", "2026-03-05"}},
                                    problems);
  CHECK(problems.empty());
  CHECK(payment.amount.minor == 10);
  CHECK(payment.status == PaymentStatus::confirmed);
}

// A service's recurring price: both fields or neither; each bad value named by its field.
TEST_CASE("a service's recurring_amount and recurring_currency", "[http]") {
  const auto service_with = [](const char* body, FieldProblems& problems) {
    Fields fields;
    REQUIRE(!read(ImportKind::services, body, fields));
    return service_from(fields, problems);
  };
  FieldProblems problems;
  auto s = service_with(R"({"id": "s1", "customer_id": "c1", "kind": "hosting", "recurring_amount": "29.90",
                            "recurring_currency": "BRL"})",
                        problems);
  CHECK(problems.empty());
  REQUIRE(s.recurring_amount);
  CHECK(s.recurring_amount->minor == 2990);
  CHECK(s.recurring_amount->currency.code() == "BRL");
  s = service_with(R"({"id": "s1", "customer_id": "c1", "kind": "hosting"})", problems);
  CHECK(problems.empty());
  CHECK_FALSE(s.recurring_amount);

  const std::vector<std::pair<const char*, std::string>> bad{
      {R"("recurring_amount": "-5.00", "recurring_currency": "BRL")",
       "recurring_amount: '-5.00' is not an amount in BRL: negative amounts are not allowed here"},
      {R"("recurring_amount": "abc", "recurring_currency": "BRL")",
       "recurring_amount: 'abc' is not an amount in BRL: only digits and one '.' are allowed"},
      {R"("recurring_amount": "92233720368547758.08", "recurring_currency": "BRL")",
       "recurring_amount: '92233720368547758.08' is not an amount in BRL: too large"},
      {R"("recurring_amount": "29.90", "recurring_currency": "real")",
       "recurring_currency: 'real' is not an ISO 4217 currency code (three capital letters)"},
      {R"("recurring_amount": "29.90")", "recurring_currency: is required with recurring_amount"},
      {R"("recurring_currency": "BRL")", "recurring_amount: is required with recurring_currency"},
  };
  for (const auto& [fields, message] : bad) {
    problems.clear();
    service_with(
        (std::string(R"({"id": "s1", "customer_id": "c1", "kind": "hosting", )") + fields + "}").c_str(),
        problems);
    REQUIRE(problems.size() == 1);
    CHECK(problems.front().field + ": " + problems.front().problem == message);
  }
}
