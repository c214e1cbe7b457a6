// Trust releases ("liberação por confiança"): reactivate now, pay by a deadline — granted by
// the policy's written rules, never by mood. Pure: the customer's promise history, the policy
// and a date in, a grant or the rule that refuses out.
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "domain/date.hpp"
#include "policy/policy.hpp"

namespace cobrador::policy {

struct PromiseRecord {
  Date granted_on;
  Date deadline;
  enum class Outcome { open, kept, broken } outcome = Outcome::open;
};

struct TrustHistory {
  std::optional<Date> customer_since;
  std::vector<PromiseRecord> promises;
};

struct TrustGrant {
  int days = 0;
  Date deadline;
};

struct TrustRefusal {
  std::string rule;     // the policy key that refuses: "max_per_12_months"...
  std::string message;  // for the operator and the customer
};

using TrustDecision = std::variant<TrustGrant, TrustRefusal>;

// Whether a customer may have a trust release today, and for how long. `days` overrides the
// policy's length (an operator's choice); eligibility rules apply all the same.
TrustDecision trust_release_eligibility(const TrustHistory& history, const Policy& policy, Date today,
                                        std::optional<int> days = std::nullopt);

}  // namespace cobrador::policy
