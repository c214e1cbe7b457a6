// Implements hooks/event_payload.hpp with nlohmann's ordered_json, which keeps the keys in the
// order SPEC §7 shows them instead of sorting them.
#include "hooks/event_payload.hpp"

#include <nlohmann/json.hpp>

namespace cobrador::hooks {

namespace {

nlohmann::ordered_json string_or_null(const std::string& value) {
  return value.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(value);
}

}  // namespace

std::string_view event_type(PanelCall::Kind kind) {
  switch (kind) {
    case PanelCall::Kind::suspend:
      return "service.suspend";
    case PanelCall::Kind::unsuspend:
      return "service.unsuspend";
    case PanelCall::Kind::terminate:
      return "service.terminate";
    case PanelCall::Kind::backup:
      return "service.backup";
  }
  return "service.unknown";
}

std::string event_json(const PanelCall& call) {
  nlohmann::ordered_json doc;
  doc["type"] = std::string(event_type(call.kind));
  doc["id"] = call.idempotency_key;
  doc["reason"] = string_or_null(call.reason);
  doc["mode"] = string_or_null(call.mode);
  doc["service"] = {{"id", call.service_id}, {"account", call.account}, {"kind", call.service_kind}};
  doc["customer"] = {{"id", call.customer_id}};
  // Invalid UTF-8 in a field is replaced rather than thrown: the call must still go out.
  return doc.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace cobrador::hooks
