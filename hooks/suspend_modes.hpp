// Which adapters can suspend a service's outgoing side only (policy.yaml `mode:
// outgoing_only`, docs/panels.md). webhook and exec pass the mode on to the operator's side,
// which does it; WHM, DirectAdmin and Plesk have one suspension that takes the whole account
// away. An adapter that cannot do it refuses the call, for good, instead of suspending fully:
// a phone line asked to keep its incoming calls must not lose them without anyone knowing.
#pragma once

#include <optional>
#include <string_view>

#include "hooks/panel.hpp"

namespace cobrador::hooks {

// True for the panel types whose adapter carries out `outgoing_only` (webhook, exec).
bool can_suspend_outgoing_only(std::string_view panel_type);

// The permanent `failed` outcome an adapter of `panel_type` gives a suspension whose mode it
// cannot carry out, or nullopt when it can do what `call` asks.
std::optional<Outcome> refuse_unsupported_mode(const PanelCall& call, std::string_view panel_type);

}  // namespace cobrador::hooks
