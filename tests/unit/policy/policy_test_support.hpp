// What the policy tests share: dates written as they are read, a policy read from its text, and
// a customer's service as the snapshot carries it.
#pragma once

#include <cstdint>
#include <string>
#include <utility>

#include "domain/date.hpp"
#include "domain/entities.hpp"
#include "policy/policy.hpp"

namespace cobrador::policy_tests {

inline Date d(const char* text) { return *parse_date(text); }

// The moment the daily walk of `day` runs (run_at in the policy's zone).
inline Instant walk_of(const policy::Policy& policy, const char* day) {
  return policy.instant_at(d(day), policy.run_at_minute);
}

// The policy in `text`, as if read from policy.yaml.
inline Result<policy::Policy> parse(const std::string& text) {
  return policy::parse_policy(text, "policy.yaml");
}

// A service with the fields the rules read; the owner's ids stay empty (the snapshot's customer).
inline Service service(std::int64_t id, std::string ext_id, ServiceKind kind, std::string panel,
                       std::string account, ServiceState state, std::string suspend_reason = "") {
  Service s;
  s.id = id;
  s.ext_id = std::move(ext_id);
  s.kind = kind;
  s.panel = std::move(panel);
  s.account = std::move(account);
  s.state = state;
  s.suspend_reason = std::move(suspend_reason);
  return s;
}

}  // namespace cobrador::policy_tests
