// A returned payment's reason code (service/entity_fields), as the HTTP API and the import
// read it: required for status `returned`, refused with any other status, a plain code.
#include <catch2/catch.hpp>

#include "service/entity_fields.hpp"

using namespace cobrador;
using namespace cobrador::service;
using Kind = FieldProblem::Kind;

namespace {

Fields debit(const std::string& status, const std::string& reason) {
  Fields fields{{"id", "dd-1"},      {"invoice_id", "i1"}, {"amount", "49.90"},
                {"currency", "BRL"}, {"status", status},   {"received_on", "2026-03-05"}};
  if (!reason.empty()) fields["return_reason"] = reason;
  return fields;
}

}  // namespace

// The code is kept as given: an ISO 20022 code, a CNAB occurrence, the billing system's own.
TEST_CASE("a returned payment carries its reason code", "[http]") {
  for (const auto* code : {"MD06", "AM04", "09", "insufficient_funds", "R-01.2"}) {
    FieldProblems problems;
    const auto payment = payment_from(debit("returned", code), problems);
    INFO(code);
    CHECK(problems.empty());
    CHECK(payment.status == PaymentStatus::returned);
    CHECK(payment.return_reason == code);
  }
}

// Missing for `returned`, present for another status, or not a code: each names the field.
TEST_CASE("return_reason is required for returned and refused elsewhere", "[http]") {
  FieldProblems problems;
  payment_from(debit("returned", ""), problems);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].field == "return_reason");
  CHECK(problems[0].kind == Kind::missing);
  CHECK(problems[0].problem == "is required when status is returned (the bank's code, e.g. MD06)");

  problems.clear();
  payment_from(debit("confirmed", "MD06"), problems);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].field == "return_reason");
  CHECK(problems[0].problem == "only a payment with status returned has a return reason");

  for (const auto* bad : {"MD 06", "MD06;", "\xC3\xA9", "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"}) {
    problems.clear();
    payment_from(debit("returned", bad), problems);
    INFO(bad);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].field == "return_reason");
    CHECK(problems[0].kind == Kind::invalid);
  }
}
