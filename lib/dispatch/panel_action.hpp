// A panel action's payload (suspend, unsuspend, terminate, backup; see policy/decide.cpp)
// read back as the call its panel's adapter makes. Pure.
#pragma once

#include <string>

#include "domain/entities.hpp"
#include "hooks/panel.hpp"
#include "util/result.hpp"

namespace cobrador::dispatch {

struct PanelRequest {
  std::string panel;  // the name under `panels:` in cobrador.yaml
  hooks::PanelCall call;
};

// Fails on a kind no panel performs and on a payload without the service's panel and id.
Result<PanelRequest> parse_panel_action(const Action& action);

}  // namespace cobrador::dispatch
