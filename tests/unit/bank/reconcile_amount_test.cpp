// Matching by amount against a large book: invoices taken by a reference or by an earlier
// credit leave the count, the tolerance is per currency, and the indexed search agrees with
// the rule as written (a scan of every invoice) on random books.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <random>

#include "bank/reconcile.hpp"
#include "reconcile_test_support.hpp"

using namespace cobrador;
using namespace cobrador::bank;
using namespace cobrador::bank::testing;

TEST_CASE("reconcile by amount skips invoices already taken in the run", "[bank]") {
  const std::vector<OpenInvoice> invoices{invoice(1, "A", 1000, "EUR"), invoice(2, "B", 2000, "EUR"),
                                          invoice(3, "C", 3000, "EUR")};
  const auto results = reconcile(
      std::vector{credit(1000, "EUR", {"A"}), credit(1500, "EUR"), credit(2500, "EUR"), credit(10000, "EUR")},
      invoices, 0);
  CHECK(results[0].invoice_id == 1);                // by reference, before any amount is looked at
  CHECK(results[1].outcome == Outcome::unmatched);  // only A fits 15.00, and A is taken
  CHECK(results[2].outcome == Outcome::matched);    // A taken: B is the only one 25.00 covers
  CHECK(results[2].invoice_id == 2);
  CHECK(results[3].outcome == Outcome::matched);  // A and B taken: C alone
  CHECK(results[3].invoice_id == 3);
}

TEST_CASE("reconcile names at most five candidates of an ambiguous amount", "[bank]") {
  std::vector<OpenInvoice> invoices;
  for (int i = 1; i <= 8; ++i) invoices.push_back(invoice(i, "INV-" + std::to_string(i), 4990, "BRL"));
  const auto results = reconcile(std::vector{credit(4990, "BRL")}, invoices, 0);
  CHECK(
      results[0].explanation ==
      "no reference names an open invoice, and 49.90 BRL covers 8 open invoices (INV-1, INV-2, INV-3, INV-4, "
      "INV-5, ...); ambiguous, left to the operator");
}

TEST_CASE("reconcile takes the tolerance of each currency", "[bank]") {
  const std::vector<OpenInvoice> invoices{invoice(1, "B1", 5000, "BRL"), invoice(2, "J1", 5000, "JPY")};
  const ToleranceIn tolerance = [](const Currency& c) -> std::int64_t { return c.code() == "BRL" ? 50 : 0; };
  const auto results = reconcile(std::vector{credit(4950, "BRL"), credit(4999, "JPY")}, invoices, tolerance);
  CHECK(results[0].invoice_id == 1);
  CHECK(results[1].outcome == Outcome::unmatched);
  CHECK(results[1].explanation ==
        "no reference names an open invoice, and no open invoice in JPY is due 4999 or less (tolerance 0)");
}

// The rule of docs/bank-formats.md, step 4, as a plain scan: what the index must agree with.
TEST_CASE("reconcile by amount agrees with a scan of every invoice on random books", "[bank]") {
  std::mt19937 random(7);
  for (int round = 0; round < 200; ++round) {
    INFO("round " << round);
    std::uniform_int_distribution<int> count(0, 12);
    std::uniform_int_distribution<std::int64_t> cents(0, 40);
    std::vector<OpenInvoice> invoices;
    const int n_invoices = count(random);
    for (int i = 1; i <= n_invoices; ++i) {
      invoices.push_back(invoice(i, "I" + std::to_string(i), cents(random) * 100, i % 3 ? "EUR" : "USD"));
    }
    std::vector<BankEntry> entries;
    const int n_entries = count(random);
    for (int i = 0; i < n_entries; ++i)
      entries.push_back(credit(1 + cents(random) * 100, i % 4 ? "EUR" : "USD"));
    const std::int64_t tolerance = (round % 3) * 150;

    std::vector<bool> taken(invoices.size());
    std::vector<std::int64_t> expected;
    for (const auto& entry : entries) {
      std::vector<std::size_t> fitting;
      for (std::size_t j = 0; j < invoices.size(); ++j) {
        const auto& due = invoices[j].amount_due;
        if (!taken[j] && due.minor > 0 && due.currency == entry.amount.currency &&
            entry.amount.minor >= due.minor - tolerance)
          fitting.push_back(j);
      }
      if (fitting.size() == 1) taken[fitting.front()] = true;
      expected.push_back(fitting.size() == 1 ? invoices[fitting.front()].id : 0);
    }
    const auto results = reconcile(entries, invoices, tolerance);
    for (std::size_t i = 0; i < entries.size(); ++i) {
      INFO("entry " << i);
      CHECK(results[i].invoice_id == expected[i]);
      CHECK((results[i].outcome == Outcome::matched) == (expected[i] != 0));
    }
  }
}
