// Names for the enums of hooks/panel.hpp, as they appear in logs, the audit trail and the
// exec adapter's first argument.
#include "hooks/panel.hpp"

namespace cobrador::hooks {

std::string_view to_string(PanelCall::Kind kind) {
  switch (kind) {
    case PanelCall::Kind::suspend:
      return "suspend";
    case PanelCall::Kind::unsuspend:
      return "unsuspend";
    case PanelCall::Kind::terminate:
      return "terminate";
    case PanelCall::Kind::backup:
      return "backup";
  }
  return "unknown";
}

std::string_view to_string(Outcome::Kind kind) {
  switch (kind) {
    case Outcome::Kind::done:
      return "done";
    case Outcome::Kind::accepted:
      return "accepted";
    case Outcome::Kind::retry:
      return "retry";
    case Outcome::Kind::failed:
      return "failed";
    case Outcome::Kind::disable_panel:
      return "disable_panel";
  }
  return "unknown";
}

}  // namespace cobrador::hooks
