// POST and DELETE /v1/services/{id}/suspension (scope operator): suspension by hand and its
// end, through the same service functions as `cobradorctl suspend|unsuspend`. The body is
// {"reason": "..."}. 202 when a panel call was queued (the service's state changes when the
// panel says yes), 200 when none was needed; 404 for an unknown service, 409 when the
// service's state refuses it (with the reason why), 400 for a missing or bad reason.
#include <fmt/format.h>

#include "http/json_error.hpp"
#include "http/request_body.hpp"
#include "http/routes.hpp"
#include "service/suspension.hpp"
#include "util/dump_json.hpp"

namespace cobrador::http {

namespace {

using nlohmann::json;

// The operator's reason from the body, or the 400 that refuses it.
std::variant<std::string, Response> reason_of(const Request& request) {
  json object;
  if (auto refusal = parse_json_object(request, object)) return std::move(*refusal);
  for (const auto& [key, value] : object.items()) {
    if (key != "reason")
      return error_response(400, "unknown_field", fmt::format("{}: not a field of this request", key), key);
  }
  if (!object.contains("reason")) return error_response(400, "missing_field", "reason: required", "reason");
  if (!object["reason"].is_string())
    return error_response(400, "wrong_type", "reason: must be a string", "reason");
  return object["reason"].get<std::string>();
}

Response answer(const service::HandResult& result) {
  if (const auto* refusal = std::get_if<service::HandRefusal>(&result)) {
    switch (refusal->kind) {
      case service::HandRefusal::Kind::not_found:
        return error_response(404, "not_found", refusal->message);
      case service::HandRefusal::Kind::conflict:
        return error_response(409, "conflict", refusal->message);
      case service::HandRefusal::Kind::invalid:
        return error_response(400, "invalid_field", refusal->message, "reason");
    }
  }
  const auto& done = std::get<service::HandSuspension>(result);
  const json body{{"service", done.service},
                  {"customer", done.customer},
                  {"reason", done.reason},
                  {"action", done.action_key.empty() ? json(nullptr) : json(done.action_key)},
                  {"outcome", done.outcome}};
  return json_response(done.action_key.empty() ? 200 : 202, dump_json(body));
}

void suspension_route(ApiContext& context, bool suspend, Request&& request, Params&& params,
                      Respond respond) {
  auto authorized = authorize_bearer(context.credentials, request, {"operator"});
  if (auto* refusal = std::get_if<Response>(&authorized)) return respond(std::move(*refusal));
  const auto actor = std::get<Caller>(authorized).actor();
  auto reason = reason_of(request);
  if (auto* refusal = std::get_if<Response>(&reason)) return respond(std::move(*refusal));
  const Instant now = context.clock();
  context.store->submit(
      StoreWorker::Mode::batched,
      [&context, suspend, service = params.at("id"), reason = std::get<std::string>(reason), actor,
       now](store::Store& store) {
        if (suspend) return answer(service::suspend_by_hand(store, service, reason, now, actor));
        return answer(service::unsuspend_by_hand(store, *context.policy.get(), service, reason, now, actor));
      },
      std::move(respond));
}

}  // namespace

void post_suspension(ApiContext& context, Request&& request, Params&& params, Respond respond) {
  suspension_route(context, true, std::move(request), std::move(params), std::move(respond));
}

void delete_suspension(ApiContext& context, Request&& request, Params&& params, Respond respond) {
  suspension_route(context, false, std::move(request), std::move(params), std::move(respond));
}

}  // namespace cobrador::http
