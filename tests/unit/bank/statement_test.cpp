#include <catch2/catch.hpp>

#include "bank/statement.hpp"
#include "bank_test_support.hpp"

using namespace cobrador;
using namespace cobrador::bank;
using namespace cobrador::bank::testing;

// Each fixture is recognised from its content alone.
TEST_CASE("detect_format recognises every fixture and the CSV header", "[bank]") {
  CHECK(*detect_format(fixture("camt/genkgo-camt053.v2.minimal.xml")) == Format::camt053);
  CHECK(*detect_format(fixture("camt/genkgo-camt053.v8.xml")) == Format::camt053);
  CHECK(*detect_format(fixture("camt/viafintech-camt054.v4.returns.xml")) == Format::camt054);
  CHECK(*detect_format(fixture("cnab240/laravel-boleto-banco_brasil.ret")) == Format::cnab240);
  CHECK(*detect_format(fixture("cnab240/laravel-boleto-santander.ret")) == Format::cnab240);
  CHECK(*detect_format("date,amount,currency\n2026-01-02,5.00,EUR\n") == Format::csv);
  CHECK(*detect_format("\xEF\xBB\xBF"
                       "reference,amount,date\r\n") == Format::csv);
}

// What is not a statement gets an error that says what was expected.
TEST_CASE("detect_format refuses unknown content with what it expected", "[bank]") {
  CHECK(detect_format("").error().message == "the file is empty");
  CHECK(detect_format("name,email\nAna,ana@example.com\n").error().message ==
        "line 1: not a known statement format: expected camt.053 or camt.054 XML, a CNAB 240 return file, or "
        "CSV "
        "with a header row such as date,amount,currency,reference");
  CHECK(detect_format("<html><body/></html>").error().message ==
        "html: the root element of a camt file is Document");
  CHECK(detect_format("02RETORNO01COBRANCA       ").error().message ==
        "line 1: a CNAB 400 return file; only CNAB 240 is supported");
}

// parse_statement dispatches to the right parser and puts the label in front of errors.
TEST_CASE("parse_statement parses by content and prefixes errors with the label", "[bank]") {
  auto camt = parse_statement(fixture("camt/viafintech-camt054.v4.returns.xml"), "notif.xml");
  REQUIRE(camt);
  CHECK(camt->size() == 5);
  auto cnab = parse_statement(fixture("cnab240/laravel-boleto-banco_brasil.ret"), "bb.ret");
  REQUIRE(cnab);
  CHECK(cnab->size() == 5);

  const auto bb = fixture("cnab240/laravel-boleto-banco_brasil.ret");
  CHECK(parse_statement(bb.substr(0, bb.size() - 300), "bb.ret").error().message ==
        "bb.ret: line 13: the file ends without its trailer (record type 9); it looks truncated");
  CHECK(parse_statement("date,amount,currency\n2026-01-02,x,EUR\n", "extrato.csv").error().message ==
        "extrato.csv: line 2: amount: 'x' is not an amount in EUR: only digits and one '.' are allowed");
  CHECK(parse_statement("nonsense", "").error().message.starts_with("line 1: not a known statement format"));
}
