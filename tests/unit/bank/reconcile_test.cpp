#include <catch2/catch.hpp>

#include <fmt/format.h>

#include "bank/camt_parser.hpp"
#include "bank/cnab240_parser.hpp"
#include "bank/reconcile.hpp"
#include "reconcile_test_support.hpp"

using namespace cobrador;
using namespace cobrador::bank;
using namespace cobrador::bank::testing;

// A reference to an invoice wins over another invoice whose amount would fit exactly; partial payments are
// fine.
TEST_CASE("reconcile prefers the invoice a reference names over an amount fit", "[bank]") {
  const std::vector<OpenInvoice> invoices{invoice(1, "INV-1", 10000, "EUR"),
                                          invoice(2, "INV-2", 5000, "EUR")};
  const auto results = reconcile(std::vector{credit(5000, "EUR", {"Payment", "INV-1"})}, invoices, 0);
  REQUIRE(results.size() == 1);
  CHECK(results[0].outcome == Outcome::matched);
  CHECK(results[0].matched_by == MatchedBy::reference);
  CHECK(results[0].invoice_id == 1);
  CHECK(results[0].customer_id == 100);
  CHECK(results[0].customer_external_id == "cus-100");  // carried for the payment's audit row
  CHECK(results[0].invoice_external_id == "INV-1");
  CHECK(results[0].matched_reference == "INV-1");
  CHECK(results[0].explanation == "reference INV-1 names open invoice INV-1");
}

// References are settled for the whole run before any amount guess, whatever the entry order.
TEST_CASE("reconcile settles all references before matching by amount", "[bank]") {
  const std::vector<OpenInvoice> invoices{invoice(1, "INV-1", 10000, "EUR"),
                                          invoice(2, "INV-2", 10000, "EUR")};
  const auto results =
      reconcile(std::vector{credit(10000, "EUR"), credit(10000, "EUR", {"INV-1"})}, invoices, 0);
  CHECK(results[1].invoice_id == 1);
  CHECK(results[1].matched_by == MatchedBy::reference);
  // With INV-1 taken by its reference, only INV-2 is left for the first credit.
  CHECK(results[0].outcome == Outcome::matched);
  CHECK(results[0].matched_by == MatchedBy::amount);
  CHECK(results[0].invoice_id == 2);
}

// INV-1 is not found inside INV-10 or INV-100, and case does not matter.
TEST_CASE("reconcile matches references as whole words, ignoring case", "[bank]") {
  const std::vector<OpenInvoice> invoices{invoice(1, "INV-1", 5000, "EUR"),
                                          invoice(10, "INV-10", 7000, "EUR")};
  const auto results = reconcile(std::vector{credit(1, "EUR", {"Fatura", "inv-10"}),
                                             credit(1, "EUR", {"INV-100"}), credit(1, "EUR", {"XINV-1"})},
                                 invoices, 0);
  CHECK(results[0].outcome == Outcome::matched);
  CHECK(results[0].invoice_id == 10);
  CHECK(results[0].matched_reference == "inv-10");
  CHECK(results[1].outcome == Outcome::unmatched);
  CHECK(results[2].outcome == Outcome::unmatched);
}

// Two open invoices fit the amount and no reference decides: left unmatched, saying which.
TEST_CASE("reconcile leaves an amount that fits two invoices unmatched and names them", "[bank]") {
  const std::vector<OpenInvoice> invoices{invoice(1, "INV-1", 5000, "EUR"), invoice(2, "INV-2", 5000, "EUR"),
                                          invoice(3, "INV-3", 9000, "EUR")};
  const auto results = reconcile(std::vector{credit(5000, "EUR")}, invoices, 0);
  CHECK(results[0].outcome == Outcome::unmatched);
  CHECK(results[0].explanation ==
        "no reference names an open invoice, and 50.00 EUR covers 2 open invoices (INV-1, INV-2); ambiguous, "
        "left to "
        "the operator");
}

// A credit short of the due amount by at most the tolerance matches; one cent more does not. Overpayment
// fits.
TEST_CASE("reconcile accepts a credit within the tolerance below the amount due", "[bank]") {
  const std::vector<OpenInvoice> invoices{invoice(1, "INV-1", 10000, "EUR")};
  const auto results =
      reconcile(std::vector{credit(9950, "EUR"), credit(9949, "EUR"), credit(12000, "EUR")}, invoices, 50);
  CHECK(results[0].outcome == Outcome::matched);
  CHECK(results[0].matched_by == MatchedBy::amount);
  CHECK(results[0].explanation ==
        "no reference names an open invoice; 99.50 EUR covers only open invoice INV-1 (due 100.00 EUR, "
        "tolerance 0.50)");
  // INV-1 is taken now; and 99.49 would not have fitted anyway.
  CHECK(results[1].outcome == Outcome::unmatched);
  CHECK(results[2].outcome == Outcome::unmatched);

  const auto alone = reconcile(std::vector{credit(9949, "EUR")}, invoices, 50);
  CHECK(alone[0].outcome == Outcome::unmatched);
  CHECK(
      alone[0].explanation ==
      "no reference names an open invoice, and no open invoice in EUR is due 99.49 or less (tolerance 0.50)");
  CHECK(reconcile(std::vector{credit(12000, "EUR")}, invoices, 0)[0].invoice_id == 1);
  CHECK(reconcile(std::vector{credit(9999, "EUR")}, invoices, -5)[0].outcome == Outcome::unmatched);
}

// Money in one currency never pays an invoice in another, by amount or by reference.
TEST_CASE("reconcile never matches across currencies", "[bank]") {
  const std::vector<OpenInvoice> invoices{invoice(1, "INV-1", 10000, "EUR")};
  const auto results =
      reconcile(std::vector{credit(10000, "USD"), credit(10000, "USD", {"INV-1"})}, invoices, 0);
  CHECK(results[0].outcome == Outcome::unmatched);
  CHECK(results[1].outcome == Outcome::unmatched);
  CHECK(results[1].matched_reference == "INV-1");
  CHECK(results[1].explanation ==
        "reference INV-1 names open invoice INV-1, which is in EUR; the credit is in USD");
}

// Pending entries, plain debits and reversed credits pay nothing, even when a reference names an invoice.
TEST_CASE("reconcile lets only booked plain credits pay", "[bank]") {
  const std::vector<OpenInvoice> invoices{invoice(1, "INV-1", 10000, "EUR")};
  auto pending = credit(10000, "EUR", {"INV-1"});
  pending.booked = false;
  pending.status_code = "PDNG";
  auto debit = credit(10000, "EUR", {"INV-1"});
  debit.direction = Direction::debit;
  auto reversed_credit = credit(10000, "EUR", {"INV-1"});
  reversed_credit.reversal = true;
  const auto results = reconcile(std::vector{pending, debit, reversed_credit}, invoices, 0);
  CHECK(results[0].outcome == Outcome::unmatched);
  CHECK(results[0].explanation == "not booked (status PDNG); only booked credits pay");
  CHECK(results[1].outcome == Outcome::unmatched);
  CHECK(results[1].explanation == "a debit of 100.00 EUR, not a payment");
  CHECK(results[2].outcome == Outcome::unmatched);
  CHECK(results[2].explanation == "a reversal of an earlier debit, not a payment");
}

// A CNAB ocorrência that is not a liquidação (02 here) does not pay its boleto.
TEST_CASE("reconcile does not pay an invoice from a CNAB entry that is not a liquidação", "[bank]") {
  auto lines = lines_of(fixture("cnab240/laravel-boleto-banco_brasil.ret"), "\n");
  lines[2].replace(15, 2, "02");
  lines[3].replace(15, 2, "02");
  auto entries = parse_cnab240(join_lines(lines, "\n"));
  REQUIRE(entries);
  const std::vector<OpenInvoice> invoices{invoice(1, "32948600000000196", 4000, "BRL")};
  const auto results = reconcile(*entries, invoices, 0);
  CHECK(results[0].outcome == Outcome::unmatched);
  CHECK(results[0].explanation == "not booked (status 02); only booked credits pay");
}

// The paid boletos of the BB return file find their invoices by nosso número.
TEST_CASE("reconcile matches the CNAB fixture's boletos by nosso número", "[bank]") {
  auto entries = parse_cnab240(fixture("cnab240/laravel-boleto-banco_brasil.ret"));
  REQUIRE(entries);
  const std::vector<OpenInvoice> invoices{invoice(1, "32948600000000196", 4000, "BRL"),
                                          invoice(2, "32948600000005048", 2880, "BRL")};
  const auto results = reconcile(*entries, invoices, 0);
  REQUIRE(results.size() == 5);
  CHECK(results[0].invoice_id == 1);
  CHECK(results[0].matched_by == MatchedBy::reference);
  CHECK(results[4].invoice_id == 2);
  CHECK(results[4].matched_by == MatchedBy::reference);
  // 30.00, 15.00 and 15.00 fit no remaining invoice.
  CHECK(results[1].outcome == Outcome::unmatched);
  CHECK(results[2].outcome == Outcome::unmatched);
  CHECK(results[3].outcome == Outcome::unmatched);
}

// The camt.054 returns come back as returned, with reason and references to find the original payment.
TEST_CASE("reconcile reports the camt.054 returned debits with their reason and references", "[bank]") {
  auto entries = parse_camt(fixture("camt/viafintech-camt054.v4.returns.xml"));
  REQUIRE(entries);
  const auto results = reconcile(*entries, {}, 0);
  REQUIRE(results.size() == 5);
  for (std::size_t i = 0; i < 3; ++i) CHECK(results[i].outcome == Outcome::unmatched);
  CHECK(results[3].outcome == Outcome::returned);
  CHECK(results[3].entry_index == 3);
  CHECK(results[3].explanation ==
        "returned direct debit of 6.00 CHF, reason MD06 (refund requested by the debtor); find the original "
        "payment by "
        "its references: EndToEnd-2B6C-CHDDBB5, Mitteilung, 128");
  CHECK(results[4].outcome == Outcome::returned);
  CHECK(results[4].explanation ==
        "returned direct debit of 15.53 CHF, reason MD06 (refund requested by the debtor); find the original "
        "payment by "
        "its references: E2E-1-1-16030913, Mitteilung, 134");
}

// An invoice is paid once per run: a second credit naming it is unmatched and says who took it.
TEST_CASE("reconcile matches an invoice at most once per run", "[bank]") {
  const std::vector<OpenInvoice> invoices{invoice(1, "INV-1", 5000, "EUR")};
  auto first = credit(5000, "EUR", {"INV-1"});
  first.origin = "line 2";
  const auto results =
      reconcile(std::vector{first, credit(5000, "EUR", {"INV-1"}), credit(5000, "EUR")}, invoices, 0);
  CHECK(results[0].outcome == Outcome::matched);
  CHECK(results[1].outcome == Outcome::unmatched);
  CHECK(results[1].explanation ==
        "reference INV-1 names open invoice INV-1, already matched in this run by line 2");
  CHECK(results[2].outcome == Outcome::unmatched);
}

// One payment naming two invoices is not split by guesswork, and is not matched by amount either.
TEST_CASE("reconcile leaves a credit that names two invoices to the operator", "[bank]") {
  const std::vector<OpenInvoice> invoices{invoice(1, "INV-1", 5000, "EUR"),
                                          invoice(2, "INV-2", 10000, "EUR")};
  const auto results = reconcile(std::vector{credit(10000, "EUR", {"INV-1", "INV-2"})}, invoices, 0);
  CHECK(results[0].outcome == Outcome::unmatched);
  CHECK(results[0].explanation ==
        "its references name 2 open invoices (INV-1, INV-2); one payment for several invoices is left to the "
        "operator");
}

// An invoice a billing system gave ("w1:1001") is named by the number its customers write
// (docs/connectors.md, "Bank references"), and a number two open invoices answer to is left to
// the operator rather than guessed.
TEST_CASE("reconcile names a source's invoice by its own number too", "[bank]") {
  auto from_whmcs = invoice(1, "w1:1001", 4990, "BRL");
  from_whmcs.number = "1001";
  auto other = invoice(2, "w1:1002", 4990, "BRL");
  other.number = "1002";
  const std::vector<OpenInvoice> invoices{from_whmcs, other};
  const auto results = reconcile(std::vector{credit(4990, "BRL", {"Fatura", "1001"})}, invoices, 0);
  REQUIRE(results.size() == 1);
  CHECK(results[0].outcome == Outcome::matched);
  CHECK(results[0].matched_by == MatchedBy::reference);
  CHECK(results[0].invoice_id == 1);
  CHECK(results[0].explanation == "reference 1001 names open invoice w1:1001");
  // The prefixed id still names it, once: both words name the same invoice.
  const auto both = reconcile(std::vector{credit(4990, "BRL", {"w1:1001", "1001"})}, invoices, 0);
  CHECK(both[0].invoice_id == 1);

  // The book's own invoice 1001 and the source's 1001 are both open: not a guess.
  const std::vector<OpenInvoice> clash{from_whmcs, invoice(3, "1001", 4990, "BRL")};
  const auto ambiguous = reconcile(std::vector{credit(4990, "BRL", {"1001"})}, clash, 0);
  CHECK(ambiguous[0].outcome == Outcome::unmatched);
  CHECK(ambiguous[0].explanation.find("name 2 open invoices") != std::string::npos);
  // A number no open invoice has stays a word like any other.
  const auto none = reconcile(std::vector{credit(100, "BRL", {"1003"})}, invoices, 0);
  CHECK(none[0].outcome == Outcome::unmatched);
}
