// The trust-release rules, one refusal per rule and the grants, as a table of cases.
#include <catch2/catch.hpp>

#include "policy/trust_release.hpp"
#include "policy_test_support.hpp"

using namespace cobrador;
using namespace cobrador::policy;
using cobrador::policy_tests::d;

namespace {

Policy standard_policy() {
  Policy p;
  p.trust_release = {true, 3, 6, 0, 2, 365};
  return p;
}

using Outcome = PromiseRecord::Outcome;

std::string rule_of(const TrustDecision& decision) {
  return std::holds_alternative<TrustRefusal>(decision) ? std::get<TrustRefusal>(decision).rule : "granted";
}

}  // namespace

// An established customer with a clean history gets the policy's days.
TEST_CASE("a customer of six months with no promises gets three days", "[trust]") {
  const auto decision = trust_release_eligibility({d("2025-09-10"), {}}, standard_policy(), d("2026-03-10"));
  REQUIRE(std::holds_alternative<TrustGrant>(decision));
  CHECK(std::get<TrustGrant>(decision).days == 3);
  CHECK(std::get<TrustGrant>(decision).deadline == d("2026-03-13"));
}

// Each rule refuses by name, with a message that says why.
TEST_CASE("each eligibility rule refuses by its name", "[trust]") {
  Policy off = standard_policy();
  off.trust_release.enabled = false;
  CHECK(rule_of(trust_release_eligibility({d("2020-01-01"), {}}, off, d("2026-03-10"))) ==
        "trust_release.enabled");

  const TrustHistory open{d("2020-01-01"), {{d("2026-03-08"), d("2026-03-11"), Outcome::open}}};
  const auto refused = trust_release_eligibility(open, standard_policy(), d("2026-03-10"));
  CHECK(rule_of(refused) == "open_promise");
  CHECK(std::get<TrustRefusal>(refused).message ==
        "a trust release granted on 2026-03-08 is still open until 2026-03-11");

  const TrustHistory broken{d("2020-01-01"), {{d("2025-06-01"), d("2025-06-04"), Outcome::broken}}};
  CHECK(rule_of(trust_release_eligibility(broken, standard_policy(), d("2026-03-10"))) ==
        "blocked_after_broken_promise_days");
  CHECK(rule_of(trust_release_eligibility(broken, standard_policy(), d("2026-06-05"))) == "granted");

  const TrustHistory twice{
      d("2020-01-01"),
      {{d("2025-04-01"), d("2025-04-04"), Outcome::kept}, {d("2025-10-01"), d("2025-10-04"), Outcome::kept}}};
  const auto many = trust_release_eligibility(twice, standard_policy(), d("2026-03-10"));
  CHECK(rule_of(many) == "max_per_12_months");
  CHECK(std::get<TrustRefusal>(many).message ==
        "2 trust releases in the last 12 months; the policy allows 2");
  // Rolling twelve months: once the April one is a year old, one more is allowed.
  CHECK(rule_of(trust_release_eligibility(twice, standard_policy(), d("2026-04-02"))) == "granted");

  const auto young = trust_release_eligibility({d("2026-01-15"), {}}, standard_policy(), d("2026-03-10"));
  CHECK(rule_of(young) == "min_customer_months");
  CHECK(std::get<TrustRefusal>(young).message == "customer for 1 months; trust releases start at 6 months");
}

// With new_customer_days set, a new customer gets the shorter release instead of a refusal.
TEST_CASE("new customers get new_customer_days when the policy gives them", "[trust]") {
  Policy p = standard_policy();
  p.trust_release.new_customer_days = 1;
  const auto decision = trust_release_eligibility({d("2026-01-15"), {}}, p, d("2026-03-10"));
  REQUIRE(std::holds_alternative<TrustGrant>(decision));
  CHECK(std::get<TrustGrant>(decision).deadline == d("2026-03-11"));
}
