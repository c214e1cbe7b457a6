// WHM API 1 as the `cpanel` adapter uses it: which function a call maps to, the request URL,
// and how to read WHM's answers. WHM answers HTTP 200 even when it refuses; the verdict is
// metadata.result (1 or 0) with the cause in metadata.reason. Pure functions, no I/O.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

#include "hooks/form_encoding.hpp"
#include "hooks/panel.hpp"
#include "util/result.hpp"

namespace cobrador::hooks::cpanel {

struct ApiCall {
  std::string function;  // suspendacct, unsuspendacct, removeacct, start_background_pkgacct, ...
  FormFields params;     // besides api.version=1
};

// suspendacct (user, reason), unsuspendacct (user), removeacct (username) or
// start_background_pkgacct (user). The suspension reason carries the idempotency key,
// the one field of WHM where it can travel and be seen later (WHM » Manage Account Suspension).
ApiCall action_call(const PanelCall& call);

// get_pkgacct_session_state (session_id).
ApiCall session_state_call(std::string_view session_id);

// "<base>/json-api/<function>?api.version=1&<params>".
std::string url_for(std::string_view base_url, const ApiCall& call);

// The value of the Authorization header for an API token: "whm USER:TOKEN".
std::string authorization(std::string_view user, std::string_view token);

struct Reply {
  bool ok = false;      // metadata.result == 1
  std::string reason;   // metadata.reason
  nlohmann::json data;  // the "data" object, null when absent
};

// A WHM API 1 JSON answer; an error when the body is not JSON or has no metadata.result.
Result<Reply> parse_reply(std::string_view body);

enum class SessionState { running, completed, failed };

// data.state of get_pkgacct_session_state: RUNNING, COMPLETED or FAILED.
Result<SessionState> parse_session_state(const nlohmann::json& data);

}  // namespace cobrador::hooks::cpanel
