// Implements hooks/cpanel_api.hpp.
#include "hooks/cpanel_api.hpp"

namespace cobrador::hooks::cpanel {

namespace {

std::string suspension_reason(const PanelCall& call) {
  const std::string tag = "[cobrador " + call.idempotency_key + "]";
  return call.reason.empty() ? tag : call.reason + " " + tag;
}

}  // namespace

ApiCall action_call(const PanelCall& call) {
  switch (call.kind) {
    case PanelCall::Kind::suspend:
      return {"suspendacct", {{"user", call.account}, {"reason", suspension_reason(call)}}};
    case PanelCall::Kind::unsuspend:
      return {"unsuspendacct", {{"user", call.account}}};
    case PanelCall::Kind::terminate:
      return {"removeacct", {{"username", call.account}}};
    case PanelCall::Kind::backup:
      return {"start_background_pkgacct", {{"user", call.account}}};
  }
  return {"applist", {}};
}

ApiCall session_state_call(std::string_view session_id) {
  return {"get_pkgacct_session_state", {{"session_id", std::string(session_id)}}};
}

std::string url_for(std::string_view base_url, const ApiCall& call) {
  FormFields query{{"api.version", "1"}};
  query.insert(query.end(), call.params.begin(), call.params.end());
  std::string base(base_url);
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + "/json-api/" + call.function + "?" + encode_form(query);
}

std::string authorization(std::string_view user, std::string_view token) {
  return "whm " + std::string(user) + ":" + std::string(token);
}

Result<Reply> parse_reply(std::string_view body) {
  const auto doc = nlohmann::json::parse(body, nullptr, false);
  if (!doc.is_object()) return make_error("WHM answered with something that is not a JSON object");
  const auto metadata = doc.find("metadata");
  if (metadata == doc.end() || !metadata->is_object() || !metadata->contains("result")) {
    return make_error("WHM's answer has no metadata.result");
  }
  const auto& result = (*metadata)["result"];
  Reply reply;
  reply.ok = (result.is_number_integer() && result.get<long>() == 1) || (result.is_string() && result == "1");
  if (const auto reason = metadata->find("reason"); reason != metadata->end() && reason->is_string()) {
    reply.reason = *reason;
  }
  if (const auto data = doc.find("data"); data != doc.end()) reply.data = *data;
  return reply;
}

Result<SessionState> parse_session_state(const nlohmann::json& data) {
  if (!data.is_object() || !data.contains("state") || !data["state"].is_string()) {
    return make_error("WHM's session state has no data.state");
  }
  const auto state = data["state"].get<std::string>();
  if (state == "RUNNING") return SessionState::running;
  if (state == "COMPLETED") return SessionState::completed;
  if (state == "FAILED") return SessionState::failed;
  return make_error("WHM reports an unknown session state '" + state + "'");
}

}  // namespace cobrador::hooks::cpanel
