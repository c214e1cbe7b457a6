// Implements hooks/suspend_modes.hpp.
#include "hooks/suspend_modes.hpp"

#include <string>

#include "hooks/adapter_support.hpp"

namespace cobrador::hooks {

bool can_suspend_outgoing_only(std::string_view panel_type) {
  return panel_type == "webhook" || panel_type == "exec";
}

std::optional<Outcome> refuse_unsupported_mode(const PanelCall& call, std::string_view panel_type) {
  if (call.kind != PanelCall::Kind::suspend || call.mode != "outgoing_only") return std::nullopt;
  if (can_suspend_outgoing_only(panel_type)) return std::nullopt;
  return make_outcome(Outcome::Kind::failed,
                      "mode outgoing_only refused: a " + std::string(panel_type) +
                          " panel can only suspend the whole account, and suspending " + call.service_kind +
                          " service " + call.service_id +
                          " fully is not what the policy asked; set its kind's mode to full in "
                          "policy.yaml, or serve it through a webhook or exec panel (docs/panels.md)");
}

}  // namespace cobrador::hooks
