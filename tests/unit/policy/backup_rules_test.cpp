// Who may take a backup (policy/backup_rules): an ordinary one only while the customer is paid
// up, the last-chance one once before a purge, for its fee.
#include <catch2/catch.hpp>

#include "policy/backup_rules.hpp"
#include "policy/policy.hpp"

using namespace cobrador;
using namespace cobrador::policy;

namespace {

Currency brl() { return *Currency::parse("BRL"); }

Policy priced_policy() {
  Policy policy;
  policy.backups.last_chance_fee = DecimalAmount{2500, 2, "25.00"};
  return policy;
}

}  // namespace

TEST_CASE("an ordinary backup needs a paid-up customer, not only an active service", "[policy][backup]") {
  const Policy policy = priced_policy();
  BackupFacts facts;
  facts.currency = brl();
  auto verdict = backup_decision(policy, facts);
  CHECK(verdict.allowed);
  CHECK_FALSE(verdict.last_chance);
  CHECK_FALSE(verdict.fee);

  // Reactivated on a trust release: active, but the money has not come.
  facts.promise_open = true;
  facts.overdue_invoices = 1;
  verdict = backup_decision(policy, facts);
  CHECK_FALSE(verdict.allowed);
  CHECK(verdict.code == "promise_open");

  // Released for a day on a claimed payment (a receipt is not money).
  facts.promise_open = false;
  facts.claim_open = true;
  verdict = backup_decision(policy, facts);
  CHECK_FALSE(verdict.allowed);
  CHECK(verdict.code == "claim_open");

  facts.claim_open = false;
  facts.overdue_invoices = 2;
  verdict = backup_decision(policy, facts);
  CHECK_FALSE(verdict.allowed);
  CHECK(verdict.code == "invoices_overdue");
  CHECK(verdict.rule == "backups only while paid: 2 invoices are overdue");
}

TEST_CASE("a suspended service gets no backup: pay first", "[policy][backup]") {
  BackupFacts facts;
  facts.state = ServiceState::suspended;
  facts.overdue_invoices = 1;
  const auto verdict = backup_decision(priced_policy(), facts);
  CHECK_FALSE(verdict.allowed);
  CHECK(verdict.code == "backup_not_allowed");
  CHECK(verdict.rule == "service is suspended; backups.allowed_in: [active]");
}

TEST_CASE("the last-chance backup: once, before the purge, for the fee", "[policy][backup]") {
  const Policy policy = priced_policy();
  for (const auto state : {ServiceState::cancelling, ServiceState::cancelled, ServiceState::locked}) {
    CAPTURE(to_string(state));
    BackupFacts facts;
    facts.state = state;
    facts.overdue_invoices = 3;  // a locked customer owes: the offer stands all the same
    facts.currency = brl();
    auto verdict = backup_decision(policy, facts);
    REQUIRE(verdict.allowed);
    CHECK(verdict.last_chance);
    REQUIRE(verdict.fee);
    CHECK(format_money(*verdict.fee) == "25.00 BRL");

    facts.last_chance_taken = true;
    verdict = backup_decision(policy, facts);
    CHECK_FALSE(verdict.allowed);
    CHECK(verdict.code == "last_chance_taken");

    facts.last_chance_taken = false;
    facts.purge_started = true;
    verdict = backup_decision(policy, facts);
    CHECK_FALSE(verdict.allowed);
    CHECK(verdict.code == "purge_in_progress");
  }
}

TEST_CASE("the last-chance fee is charged in the customer's currency, or not at all", "[policy][backup]") {
  BackupFacts facts;
  facts.state = ServiceState::cancelled;
  // No fee in the policy: free, and the notice says so in the customer's currency.
  Policy free_policy;
  facts.currency = *Currency::parse("JPY");
  auto verdict = backup_decision(free_policy, facts);
  CHECK(verdict.allowed);
  CHECK_FALSE(verdict.fee);
  CHECK(last_chance_fee_text(free_policy, facts.currency) == "0 JPY");

  const Policy policy = priced_policy();
  verdict = backup_decision(policy, facts);
  REQUIRE(verdict.fee);
  CHECK(format_money(*verdict.fee) == "25 JPY");  // rounded down to the currency's decimals

  // A fee with nothing to tell its currency is refused rather than charged in a guess.
  facts.currency.reset();
  verdict = backup_decision(policy, facts);
  CHECK_FALSE(verdict.allowed);
  CHECK(verdict.code == "fee_currency_unknown");
  CHECK(last_chance_fee_text(policy, std::nullopt) == "25.00");
}

TEST_CASE("the currency of the book: the service's price first, then the latest invoice",
          "[policy][backup]") {
  Service service;
  CHECK_FALSE(book_currency(service, std::nullopt));
  CHECK(book_currency(service, *Currency::parse("EUR"))->code() == "EUR");
  service.recurring_amount = Money{4990, brl()};
  CHECK(book_currency(service, *Currency::parse("EUR"))->code() == "BRL");
}

TEST_CASE("an operator who allows backups while cancelling gives paid-up customers free ones",
          "[policy][backup]") {
  Policy policy = priced_policy();
  policy.backups.allowed_in = {"active", "cancelling"};
  BackupFacts facts;
  facts.state = ServiceState::cancelling;
  facts.currency = brl();
  auto verdict = backup_decision(policy, facts);
  CHECK(verdict.allowed);
  CHECK_FALSE(verdict.last_chance);
  // Owing, the same service still has its paid last chance.
  facts.overdue_invoices = 1;
  verdict = backup_decision(policy, facts);
  CHECK(verdict.allowed);
  CHECK(verdict.last_chance);
}
