// The JSON document that describes a panel call to the operator's own code: the body of the
// `webhook` adapter's POST and the stdin of the `exec` adapter's program (SPEC §7).
#pragma once

#include <string>
#include <string_view>

#include "hooks/panel.hpp"

namespace cobrador::hooks {

// "service.suspend", "service.unsuspend", "service.terminate" or "service.backup".
std::string_view event_type(PanelCall::Kind kind);

// {"type", "id", "reason", "mode", "service": {"id", "account", "kind"}, "customer": {"id"}}
// in that order, compact. An empty reason or mode (an unsuspension has neither) is null.
std::string event_json(const PanelCall& call);

}  // namespace cobrador::hooks
