// What the operator's-desk tests read through the real cobradorctl (lifecycle_site.hpp runs it):
// the inbox of one kind of task, and the events of a customer's audit trail.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "integration/lifecycle/lifecycle_site.hpp"

namespace cobrador::testing {

// `cobradorctl --json tasks --kind KIND --state STATE` on `day` (every state by default).
inline nlohmann::json tasks_of(const LifecycleSite& site, const std::string& kind, const std::string& day,
                               const std::string& state = "all") {
  return site.ok_json({"tasks", "--kind", kind, "--state", state}, day);
}

// The events of `cobradorctl audit CUSTOMER`, in order.
inline std::vector<std::string> audit_events(const LifecycleSite& site, const std::string& customer,
                                             const std::string& day) {
  std::vector<std::string> events;
  for (const auto& row : site.ok_json({"audit", customer}, day))
    events.push_back(row["event"].get<std::string>());
  return events;
}

inline bool has_event(const std::vector<std::string>& events, const std::string& event) {
  return std::find(events.begin(), events.end(), event) != events.end();
}

}  // namespace cobrador::testing
