// A claim's expiry (policy/claim_expiry): expire_after_days after the local day it was made,
// and rejected by the walk of that day or later while still only claimed.
#include <catch2/catch.hpp>

#include "policy/claim_expiry.hpp"
#include "policy/policy.hpp"

using namespace cobrador;
using namespace cobrador::policy;

TEST_CASE("a claim expires expire_after_days after the day it was made, in the policy's zone", "[policy]") {
  auto policy = parse_policy(
      "timezone: America/Sao_Paulo\nrun_at: \"06:00\"\nstages:\n"
      "  - name: reminder\n    when: { days_overdue: 3 }\n    notify: [email]\n    template: "
      "payment_reminder\n",
      "policy.yaml");
  INFO((policy ? "" : policy.error().message));
  REQUIRE(policy);
  policy->payments.claims.expire_after_days = 3;
  // 01:30 UTC on the 5th is still the 4th in São Paulo.
  CHECK(claim_expiry(*policy, *parse_instant("2026-03-05T01:30:00Z")) == *parse_date("2026-03-07"));
  CHECK(claim_expiry(*policy, *parse_instant("2026-03-05T12:00:00Z")) == *parse_date("2026-03-08"));
}

TEST_CASE("only a claim still claimed on or after its expiry day has expired", "[policy]") {
  const Date expiry = *parse_date("2026-03-08");
  CHECK_FALSE(claim_expired(PaymentStatus::claimed, expiry, *parse_date("2026-03-07")));
  CHECK(claim_expired(PaymentStatus::claimed, expiry, expiry));
  CHECK(claim_expired(PaymentStatus::claimed, expiry, *parse_date("2026-03-20")));
  CHECK_FALSE(claim_expired(PaymentStatus::confirmed, expiry, expiry));
  CHECK_FALSE(claim_expired(PaymentStatus::claimed, std::nullopt, expiry));
}
