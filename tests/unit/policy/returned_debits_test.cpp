// The stage condition returned_debits_in_a_row: decide() runs such a stage only once the
// customer's snapshot counts that many returned direct debits in a row (the store counts
// them as bank imports mark payments returned, and a confirmed bank payment clears the run).
#include <catch2/catch.hpp>

#include <algorithm>

#include "policy/decide.hpp"
#include "policy_test_support.hpp"

using namespace cobrador;
using namespace cobrador::policy;
using cobrador::policy_tests::d;

namespace {

Policy debit_policy() {
  auto policy = parse_policy(R"(
timezone: UTC
run_at: "06:00"
stages:
  - name: reminder
    when: { days_overdue: 10 }
    notify: [email]
    template: payment_reminder
  - name: debit_warning
    when: { returned_debits_in_a_row: 2 }
    notify: [email]
    template: returned_debits
)",
                             "policy.yaml");
  INFO((policy ? "" : policy.error().message));
  REQUIRE(policy);
  return *policy;
}

CustomerSnapshot customer_with_overdue_invoice() {
  CustomerSnapshot c;
  c.id = 9;
  c.ext_id = "cus-9";
  c.emails = {"joao@example.com"};
  c.open_invoices.push_back({1, "inv-1", d("2026-03-02"), Money{4990, *Currency::parse("BRL")}, {}});
  return c;
}

std::vector<std::string> run_on(const CustomerSnapshot& c, const Policy& policy, const char* day) {
  return decide(c, policy, policy.instant_at(d(day), policy.run_at_minute)).stages_run;
}

}  // namespace

TEST_CASE("returned_debits_in_a_row holds only from that many returns on", "[decide]") {
  const auto policy = debit_policy();
  auto c = customer_with_overdue_invoice();
  // Two days overdue: the reminder (10 days) is far off; only the debit count can start a stage.
  c.returned_debits_in_a_row = 0;
  CHECK(run_on(c, policy, "2026-03-04").empty());
  c.returned_debits_in_a_row = 1;
  CHECK(run_on(c, policy, "2026-03-04").empty());
  c.returned_debits_in_a_row = 2;
  CHECK(run_on(c, policy, "2026-03-04") == std::vector<std::string>{"debit_warning"});
  c.returned_debits_in_a_row = 3;
  CHECK(run_on(c, policy, "2026-03-04") == std::vector<std::string>{"debit_warning"});
}

TEST_CASE("returned_debits_in_a_row names its count in the stage's reason", "[decide]") {
  const auto policy = debit_policy();
  auto c = customer_with_overdue_invoice();
  c.returned_debits_in_a_row = 2;
  const auto decision = decide(c, policy, policy.instant_at(d("2026-03-04"), policy.run_at_minute));
  REQUIRE(decision.stages_run == std::vector<std::string>{"debit_warning"});
  const auto ran = std::find_if(decision.explanations.begin(), decision.explanations.end(),
                                [](const Explanation& e) { return e.event == "stage_run"; });
  REQUIRE(ran != decision.explanations.end());
  CHECK(ran->stage == "debit_warning");
  CHECK(ran->rule.find("returned_debits_in_a_row 2 >= 2") != std::string::npos);
}
