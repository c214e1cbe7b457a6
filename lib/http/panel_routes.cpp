// POST /v1/hooks/panel/{panel}, signed with the panel's secret_file: a `webhook` panel that
// answered 202 calls back when the job ends (SPEC §7) with
// {"id": "<idempotency key>", "status": "done" | "failed", "detail", "location"}.
// "done" completes the action through Store::complete_action_in_flight, which applies what it
// means (a suspend makes the service suspended) — ARCHITECTURE rule 2, state on
// acknowledgement. "failed" is a failed attempt under the dispatcher's retry rules: pending
// again after the backoff, or dead and alerted when the attempts are used up. Either one for
// an action that is not in flight (done, dead, failed, cancelled, pending again) is refused
// with 409 and changes nothing, its webhook-id not remembered: a panel cannot bring back an
// action the operator was told had died, nor complete one twice (docs/dispatch.md).
#include <random>

#include <fmt/format.h>

#include "dispatch/follow_ups.hpp"
#include "http/json_error.hpp"
#include "http/request_body.hpp"
#include "http/routes.hpp"
#include "util/dump_json.hpp"

namespace cobrador::http {

namespace {

using nlohmann::json;

struct Callback {
  std::string key;
  bool done = false;
  std::string detail;
  std::string location;
};

std::optional<Response> text_member(const json& object, const char* name, bool required, std::string& out) {
  if (!object.contains(name) || object[name].is_null()) {
    if (required) return error_response(400, "missing_field", fmt::format("{}: is missing", name), name);
    return std::nullopt;
  }
  if (!object[name].is_string()) {
    return error_response(400, "wrong_type", fmt::format("{}: must be a string", name), name);
  }
  out = object[name].get<std::string>();
  return std::nullopt;
}

std::variant<Callback, Response> read_callback(const json& object) {
  for (const auto& [name, value] : object.items()) {
    if (name != "id" && name != "status" && name != "detail" && name != "location") {
      return error_response(400, "unknown_field",
                            fmt::format("{}: is unknown (allowed: id, status, detail, location)", name),
                            name);
    }
  }
  Callback callback;
  std::string status;
  if (auto refusal = text_member(object, "id", true, callback.key)) return std::move(*refusal);
  if (auto refusal = text_member(object, "status", true, status)) return std::move(*refusal);
  if (auto refusal = text_member(object, "detail", false, callback.detail)) return std::move(*refusal);
  if (auto refusal = text_member(object, "location", false, callback.location)) return std::move(*refusal);
  if (status != "done" && status != "failed") {
    return error_response(400, "invalid_field",
                          fmt::format("status: '{}' is not one of done, failed", status), "status");
  }
  callback.done = status == "done";
  return callback;
}

// The action, when it is one this panel was asked to carry out.
std::optional<Action> action_of_panel(store::OutboxStore& store, const std::string& key,
                                      const std::string& panel) {
  auto action = store.action_by_key(key);
  if (!action) return std::nullopt;
  const auto service = store.service(action->target);
  if (!service || service->panel != panel) return std::nullopt;
  return action;
}

// The refusal of a callback for an action that is not waiting for one.
Response not_awaiting(const Action& action, const std::string& panel) {
  const auto why = action.state == ActionState::in_flight
                       ? std::string("is being sent again (its wait for a callback ran out)")
                       : fmt::format("is {}, not in flight", to_string(action.state));
  return error_response(
      409, "action_not_awaiting_callback",
      fmt::format("id: action '{}' of panel {} {}; nothing changed", action.key, panel, why), "id");
}

// The jitter's draw for a retry; its own generator, used on the store thread only.
double random01() {
  static std::mt19937_64 engine{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
}

Response apply_callback(store::Store& store, const Callback& callback, const Caller& caller, Instant now,
                        const dispatch::RetryRules& rules) {
  if (!store.remember_webhook(caller.actor(), caller.webhook_id, now)) return duplicate_delivery(caller);
  const auto action = action_of_panel(store, callback.key, caller.name);
  if (!action) {
    return error_response(404, "unknown_action",
                          fmt::format("id: panel {} has no action '{}'", caller.name, callback.key), "id");
  }
  if (action->state != ActionState::in_flight) return not_awaiting(*action, caller.name);
  json answer{{"id", action->key}};
  const json reply{{"panel", caller.name},
                   {"status", callback.done ? "done" : "failed"},
                   {"detail", callback.detail},
                   {"location", callback.location}};
  if (callback.done) {
    if (!store.complete_action_in_flight(action->id, now, dump_json(reply))) {
      return not_awaiting(*store.action_by_key(action->key), caller.name);
    }
    // What follows from it, as when the dispatcher hears "done" at once (a backup's notice).
    dispatch::queue_follow_ups(store, *action, now);
    answer["state"] = "done";
    return json_response(200, dump_json(answer));
  }
  const auto retry_at = dispatch::retry_after_panel_failure(action->attempts, now, rules, random01());
  // Only the callback's own wait may fail: an action a dispatcher holds again (the wait ran
  // out and it was sent anew) is that attempt's to decide.
  if (!store.fail_action_by_panel(action->id, now, caller.name, callback.detail, retry_at)) {
    return not_awaiting(*action, caller.name);
  }
  answer["state"] = retry_at ? "pending" : "dead";
  if (retry_at) answer["next_attempt_at"] = format_instant(*retry_at);
  return json_response(200, dump_json(answer));
}

}  // namespace

void post_panel_hook(ApiContext& context, Request&& request, Params&& params, Respond respond) {
  const auto& name = params.at("panel");
  const auto* keys = context.credentials.panel(name);
  if (!keys) return respond(error_response(404, "unknown_panel", fmt::format("no webhook panel '{}'", name)));
  const Instant now = context.clock();
  auto authorized = verify_signature(*keys, Caller{Caller::Kind::panel, name, {}, false, {}}, request, now);
  if (auto* refusal = std::get_if<Response>(&authorized)) return respond(std::move(*refusal));
  json object;
  if (auto refusal = parse_json_object(request, object)) return respond(std::move(*refusal));
  auto callback = read_callback(object);
  if (auto* refusal = std::get_if<Response>(&callback)) return respond(std::move(*refusal));
  context.store->submit(
      StoreWorker::Mode::batched,
      [callback = std::get<Callback>(std::move(callback)), caller = std::get<Caller>(authorized), now,
       &rules = context.retry_rules](store::Store& store) {
        return apply_callback(store, callback, caller, now, rules);
      },
      std::move(respond));
}

}  // namespace cobrador::http
