// A trust release as the store keeps it (SPEC §3 "promise"): reactivated now, to pay by a
// deadline. Plain values; the rules that grant and close one live in policy/ and service/.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/date.hpp"

namespace cobrador {

enum class PromiseOutcome { open, kept, broken };

std::string_view to_string(PromiseOutcome value);
std::optional<PromiseOutcome> parse_promise_outcome(std::string_view text);

struct Promise {
  std::int64_t id = 0;
  std::int64_t customer_id = 0;
  std::string customer_ext_id;
  std::int64_t episode_id = 0;
  Instant granted_at;
  Date granted_on;         // granted_at in the policy's zone: what the 12-month count looks at
  Date deadline;           // the walk of this day re-suspends if the debt is still unpaid
  std::string granted_by;  // the audit actor: operator:<name>, customer, system
  std::string reason;
  PromiseOutcome outcome = PromiseOutcome::open;
  std::optional<Instant> closed_at;
  bool forced = false;          // an operator overrode the eligibility rules
  std::string override_reason;  // the rule that refused and the operator's reason, when forced
  std::string claim_payment;    // ext id of the payment claim that caused it, "" if none
  // Services this promise reactivated or whose suspension it postponed: the ones a broken
  // promise suspends again.
  std::vector<std::string> released_services;
};

}  // namespace cobrador
