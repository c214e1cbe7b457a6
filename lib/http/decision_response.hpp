// What the routes that call a decision of the service layer share: a refusal answered as the
// error body of json_error.hpp with its facts beside it, a string field read from a body, and
// the submission of the decision to the store's batch of writes.
#pragma once

#include <optional>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "http/json_error.hpp"
#include "http/routes.hpp"
#include "service/refusal.hpp"

namespace cobrador::http {

inline Response refusal_response(const service::Refusal& refusal) {
  using nlohmann::json;
  json error{{"code", refusal.code}, {"message", refusal.message}, {"field", nullptr}};
  if (!refusal.field.empty()) error["field"] = refusal.field;
  if (!refusal.facts.is_null()) error["details"] = refusal.facts;
  return json_response(refusal.status,
                       json{{"error", error}}.dump(-1, ' ', false, json::error_handler_t::replace));
}

// body[name] into `out` when it is there and not null; a 400 when it is not a string.
inline std::optional<Response> text_field(const nlohmann::json& body, const char* name, std::string& out) {
  const auto it = body.find(name);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_string())
    return error_response(400, "wrong_type", fmt::format("{}: must be a string", name), name);
  out = it->get<std::string>();
  return std::nullopt;
}

// Submits `decide(store, policy, now, actor)` to the store's batch of writes as `caller`: a
// refusal is answered with its facts, what was done with `answer`.
template <class Decide, class Answer>
void submit_decision(ApiContext& context, const Caller& caller, Decide decide, Answer answer,
                     Respond respond) {
  context.store->submit(
      StoreWorker::Mode::batched,
      [&context, decide = std::move(decide), answer = std::move(answer), actor = caller.actor(),
       now = context.clock()](store::Store& store) {
        const auto decided = decide(store, *context.policy.get(), now, actor);
        if (const auto* refusal = std::get_if<service::Refusal>(&decided)) return refusal_response(*refusal);
        return answer(std::get<0>(decided));
      },
      std::move(respond));
}

}  // namespace cobrador::http
