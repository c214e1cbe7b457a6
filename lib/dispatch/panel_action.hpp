// A panel action's payload (suspend, unsuspend, terminate, backup, see policy/decide.cpp; and a
// payment written back to a billing system, policy/write_back.hpp)
// read back as the call its panel's adapter makes. Pure.
#pragma once

#include <optional>
#include <string>

#include "domain/entities.hpp"
#include "hooks/panel.hpp"
#include "util/result.hpp"

namespace cobrador::dispatch {

struct PanelRequest {
  std::string panel;  // the name under `panels:` in cobrador.yaml
  hooks::PanelCall call;
  // An `event` action: money to record in the billing system the panel is (policy/write_back.hpp).
  std::optional<hooks::PaymentRecord> payment;
};

// Fails on a kind no panel performs and on a payload without the service's panel and id.
Result<PanelRequest> parse_panel_action(const Action& action);

}  // namespace cobrador::dispatch
