#include <catch2/catch.hpp>

#include "bank/csv_statement_parser.hpp"
#include "bank_test_support.hpp"

using namespace cobrador;
using namespace cobrador::bank;
using namespace cobrador::bank::testing;

namespace {

std::string csv_error_of(const std::string& content) {
  auto entries = parse_csv_statement(content);
  REQUIRE_FALSE(entries);
  return entries.error().message;
}

}  // namespace

// Every column, in an unusual order, quoted fields included, read value by value.
TEST_CASE("CSV statement reads all columns in any order", "[bank]") {
  const auto entries = parse_csv_statement(
      "currency,id,description,amount,date,reference,direction,status,return_reason\r\n"
      "BRL,tx-1,\"Fatura INV-10, obrigado\",49.90,2026-11-20,INV-10,credit,booked,\r\n"
      "EUR,tx-2,,12.00,2026-11-21,E2E-7,debit,booked,AM04\r\n"
      "JPY,,,1000,2026-11-22,,credit,pending,\r\n");
  REQUIRE(entries);
  REQUIRE(entries->size() == 3);

  const auto& paid = entries->at(0);
  CHECK(paid.format == Format::csv);
  CHECK(paid.booking_date == day("2026-11-20"));
  CHECK(paid.amount == money(4990, "BRL"));
  CHECK(paid.direction == Direction::credit);
  CHECK(paid.booked);
  CHECK(paid.status_code == "booked");
  CHECK_FALSE(paid.reversal);
  CHECK(paid.references == std::vector<Reference>{{ReferenceKind::csv_reference, "INV-10"},
                                                  {ReferenceKind::remittance_token, "Fatura"},
                                                  {ReferenceKind::remittance_token, "obrigado"}});
  CHECK(paid.identity == "csv:tx-1");
  CHECK(paid.origin == "line 2");

  const auto& returned = entries->at(1);
  CHECK(returned.amount == money(1200, "EUR"));
  CHECK(returned.direction == Direction::debit);
  CHECK(returned.reversal);
  CHECK(returned.return_reason == "AM04");
  CHECK(reference_values(returned) == std::vector<std::string>{"E2E-7"});

  const auto& pending = entries->at(2);
  CHECK(pending.amount == money(1000, "JPY"));
  CHECK_FALSE(pending.booked);
  CHECK(pending.status_code == "pending");
  CHECK(pending.references.empty());
  CHECK(pending.identity.starts_with("csv:"));
  CHECK(pending.identity.size() == 4 + 16);
  CHECK(pending.origin == "line 4");
}

// Without a direction column a minus sign makes a debit; direction and status default to credit and booked.
TEST_CASE("CSV statement without a direction column takes the sign of the amount", "[bank]") {
  const auto entries =
      parse_csv_statement("date,amount,currency\n2026-01-02,-5.00,EUR\n2026-01-02,5.00,EUR\n");
  REQUIRE(entries);
  CHECK(entries->at(0).direction == Direction::debit);
  CHECK(entries->at(0).amount == money(500, "EUR"));
  CHECK(entries->at(1).direction == Direction::credit);
  CHECK(entries->at(1).booked);
}

// Two identical rows are two payments: their identities differ, and stay the same on a re-import.
TEST_CASE("CSV statement numbers identical rows so that both survive de-duplication", "[bank]") {
  const std::string content =
      "date,amount,currency,reference\n2026-01-02,5.00,EUR,A\n2026-01-02,5.00,EUR,A\n";
  const auto first = parse_csv_statement(content);
  REQUIRE(first);
  CHECK(first->at(1).identity == first->at(0).identity + "#2");
  CHECK(parse_csv_statement(content)->at(1).identity == first->at(1).identity);
}

// The header must name known columns, once each, including date, amount and currency.
TEST_CASE("CSV statement refuses unknown, repeated and missing columns", "[bank]") {
  CHECK(csv_error_of("date,amout,currency\n") ==
        "line 1: unknown column 'amout'; the columns are date, amount, currency, direction, reference, "
        "description, "
        "status, id, return_reason");
  CHECK(csv_error_of("date,amount,currency,date\n") == "line 1: column 'date' appears twice");
  CHECK(csv_error_of("date,amount,reference\n") == "line 1: the required column 'currency' is missing");
  CHECK(csv_error_of("") == "line 1: the file is empty; a header row is expected");
}

// A bad value is refused with its line and column name.
TEST_CASE("CSV statement refuses a bad value naming the line and column", "[bank]") {
  const std::string header = "date,amount,currency,direction,status,return_reason\n";
  const std::string good = "2026-01-02,5.00,EUR,credit,booked,\n";
  CHECK(csv_error_of(header + good + "2026-01-02,\"5,00\",EUR,credit,booked,\n") ==
        "line 3: amount: '5,00' is not an amount in EUR: only digits and one '.' are allowed");
  CHECK(csv_error_of(header + "2026-01-02,-5.00,EUR,debit,booked,\n") ==
        "line 2: amount: '-5.00' is not an amount in EUR: negative amounts are not allowed here");
  CHECK(csv_error_of(header + "2026-01-02,0.00,EUR,credit,booked,\n") ==
        "line 2: amount: the amount is zero");
  CHECK(csv_error_of(header + "02/01/2026,5.00,EUR,credit,booked,\n") ==
        "line 2: date: '02/01/2026' is not a date in the form YYYY-MM-DD");
  CHECK(csv_error_of(header + "2026-01-02,5.00,eur,credit,booked,\n") ==
        "line 2: currency: 'eur' is not an ISO 4217 currency code (three capital letters)");
  CHECK(csv_error_of(header + "2026-01-02,5.00,EUR,in,booked,\n") ==
        "line 2: direction: 'in' is neither credit nor debit");
  CHECK(csv_error_of(header + "2026-01-02,5.00,EUR,credit,done,\n") ==
        "line 2: status: 'done' is neither booked nor pending");
  CHECK(csv_error_of(header + "2026-01-02,5.00,EUR,credit,booked,MD06\n") ==
        "line 2: return_reason: only a debit can be a returned payment");
  CHECK(csv_error_of(header + "2026-01-02,5.00,EUR\n") == "line 2: 3 fields where the header has 6");
  CHECK(csv_error_of(header + "2026-01-02,\"5.00,EUR\n") == "line 2: a quoted field is not closed");
}
