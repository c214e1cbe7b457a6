// policy::return_terms: what the money since a lock (or since the end of a cancelled service)
// must cover — what was owed that day plus N recurring prices — and the locked notice's terms.
#include <catch2/catch.hpp>

#include <limits>

#include "policy/return_terms.hpp"
#include "policy_test_support.hpp"

using namespace cobrador;
using namespace cobrador::policy;
using cobrador::policy_tests::d;

// A named namespace, not an anonymous one: the tests build in unity batches.
namespace return_terms_test {

Money brl(std::int64_t minor) { return Money{minor, *Currency::parse("BRL")}; }
Money usd(std::int64_t minor) { return Money{minor, *Currency::parse("USD")}; }

Invoice invoice(std::int64_t id, Money amount, const char* issued,
                InvoiceStatus status = InvoiceStatus::open) {
  Invoice i;
  i.id = id;
  i.ext_id = "i" + std::to_string(id);
  i.amount = amount;
  i.issued_on = d(issued);
  i.due_on = d(issued) + date::days{9};
  i.status = status;
  return i;
}

Payment payment(std::int64_t invoice_id, Money amount, const char* received) {
  Payment p;
  p.invoice_id = invoice_id;
  p.amount = amount;
  p.status = PaymentStatus::confirmed;
  p.received_on = d(received);
  return p;
}

// Three months of 49.90 unpaid, locked on 11 May, a 29.90 service, three months upfront.
ReturnFacts locked_quarter() {
  ReturnFacts facts;
  facts.since = d("2026-05-11");
  facts.periods = 3;
  facts.invoices = {invoice(1, brl(4990), "2026-03-01"), invoice(2, brl(4990), "2026-04-01"),
                    invoice(3, brl(4990), "2026-05-01")};
  facts.services = {{"s1", brl(2990)}};
  return facts;
}

TEST_CASE("paying only the debt after a lock leaves the months upfront missing", "[policy][return_terms]") {
  auto facts = locked_quarter();
  facts.payments = {payment(1, brl(4990), "2026-05-12"), payment(2, brl(4990), "2026-05-12"),
                    payment(3, brl(4990), "2026-05-12")};
  const auto terms = return_terms(facts);
  CHECK(terms.owed_then.at("BRL") == brl(14970));
  CHECK(terms.upfront.at("BRL") == brl(8970));
  CHECK(terms.required.at("BRL") == brl(23940));
  CHECK(terms.paid.at("BRL") == brl(14970));
  CHECK(terms.missing.at("BRL") == brl(8970));
  CHECK_FALSE(terms.met());
}

TEST_CASE("the debt plus N recurring prices paid since the lock meets the terms", "[policy][return_terms]") {
  auto facts = locked_quarter();
  // The billing system's invoice for the months upfront, issued after the lock and paid.
  facts.invoices.push_back(invoice(4, brl(8970), "2026-05-12"));
  facts.payments = {payment(1, brl(4990), "2026-05-12"), payment(2, brl(4990), "2026-05-12"),
                    payment(3, brl(4990), "2026-05-12"), payment(4, brl(8970), "2026-05-13")};
  const auto terms = return_terms(facts);
  CHECK(terms.required.at("BRL") == brl(23940));
  CHECK(terms.paid.at("BRL") == brl(23940));
  CHECK(terms.missing.empty());
  CHECK(terms.met());
}

TEST_CASE("money paid before the lock lowers the debt at the lock and is not counted again",
          "[policy][return_terms]") {
  auto facts = locked_quarter();
  facts.payments = {payment(1, brl(4990), "2026-04-20"), payment(2, brl(2000), "2026-05-10")};
  const auto terms = return_terms(facts);
  CHECK(terms.owed_then.at("BRL") == brl(4990 * 3 - 4990 - 2000));
  CHECK(terms.paid.empty());
  CHECK(terms.missing.at("BRL") == brl(7980 + 8970));
}

TEST_CASE("invoices marked paid or void by the billing system", "[policy][return_terms]") {
  auto facts = locked_quarter();
  facts.periods = 0;
  // i1 paid long ago with no payment recorded: not owed. i2 void: not owed. i3 marked paid
  // after the lock with its payment recorded: owed at the lock, and the payment counts.
  facts.invoices[0].status = InvoiceStatus::paid;
  facts.invoices[1].status = InvoiceStatus::void_;
  facts.invoices[2].status = InvoiceStatus::paid;
  facts.payments = {payment(3, brl(4990), "2026-05-15")};
  const auto terms = return_terms(facts);
  CHECK(terms.owed_then.at("BRL") == brl(4990));
  CHECK(terms.paid.at("BRL") == brl(4990));
  CHECK(terms.met());
}

TEST_CASE("an unknown recurring price never counts as free", "[policy][return_terms]") {
  auto facts = locked_quarter();
  facts.services = {{"s1", brl(2990)}, {"s2", std::nullopt}};
  facts.payments = {payment(1, brl(1000000), "2026-05-12")};
  const auto terms = return_terms(facts);
  CHECK(terms.unpriced == std::vector<std::string>{"s2"});
  CHECK(terms.missing.empty());
  CHECK_FALSE(terms.met());
  // Without months upfront the price does not matter.
  facts.periods = 0;
  CHECK(return_terms(facts).met());
}

TEST_CASE("without pay_all_debts only the months upfront are asked", "[policy][return_terms]") {
  auto facts = locked_quarter();
  facts.debt_counts = false;
  facts.payments = {payment(1, brl(8970), "2026-05-11")};  // on the lock day: counts
  const auto terms = return_terms(facts);
  CHECK(terms.owed_then.empty());
  CHECK(terms.required.at("BRL") == brl(8970));
  CHECK(terms.met());
}

TEST_CASE("each currency is measured on its own", "[policy][return_terms]") {
  auto facts = locked_quarter();
  facts.invoices.push_back(invoice(5, usd(1000), "2026-04-01"));
  facts.payments = {payment(1, brl(14970 + 8970), "2026-05-12")};
  const auto terms = return_terms(facts);
  CHECK(terms.missing.size() == 1);
  CHECK(terms.missing.at("USD") == usd(1000));
  CHECK(amounts_text(terms.required) == "239.40 BRL + 10.00 USD");
  CHECK(amounts_text({}) == "0");
}

TEST_CASE("a price near int64's limit times N saturates instead of wrapping", "[policy][return_terms]") {
  auto facts = locked_quarter();
  facts.services = {{"s1", brl(std::numeric_limits<std::int64_t>::max() / 2)}};
  facts.payments = {payment(1, brl(std::numeric_limits<std::int64_t>::max()), "2026-05-12")};
  const auto terms = return_terms(facts);
  CHECK(terms.upfront.at("BRL").minor == std::numeric_limits<std::int64_t>::max());
  CHECK(terms.required.at("BRL").minor == std::numeric_limits<std::int64_t>::max());
  CHECK(terms.paid.at("BRL").minor == std::numeric_limits<std::int64_t>::max());
}

TEST_CASE("the locked notice states months upfront, the price and the amount to pay",
          "[policy][return_terms]") {
  CustomerSnapshot customer;
  customer.open_invoices = {{1, "i1", d("2026-03-10"), brl(4990), {}},
                            {2, "i2", d("2026-04-10"), brl(4990), {}},
                            {3, "i3", d("2026-05-10"), brl(4990), {}}};
  auto s1 = policy_tests::service(1, "s1", ServiceKind::hosting, "noc", "ana", ServiceState::suspended,
                                  std::string(kNonPayment));
  s1.recurring_amount = brl(2990);
  auto cancelled =
      policy_tests::service(2, "s2", ServiceKind::hosting, "noc", "old", ServiceState::cancelled);
  customer.services = {s1, cancelled};  // the cancelled one is not ended by the lock
  const ReactivationAfterLock rule{true, 3};
  auto vars = lock_notice_variables(customer, rule);
  CHECK(vars.at("months_upfront") == "3");
  CHECK(vars.at("recurring_amount") == "29.90 BRL");
  CHECK(vars.at("reactivation_amount") == "239.40 BRL");

  // An unknown price: no amount is named rather than a wrong one.
  customer.services[0].recurring_amount.reset();
  vars = lock_notice_variables(customer, rule);
  CHECK(vars.at("recurring_amount").empty());
  CHECK(vars.at("reactivation_amount").empty());
  vars = lock_notice_variables(customer, ReactivationAfterLock{true, 0});
  CHECK(vars.at("reactivation_amount") == "149.70 BRL");
}

}  // namespace return_terms_test
