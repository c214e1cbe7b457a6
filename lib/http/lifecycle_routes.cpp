// POST /v1/services/{id}/cancellation (ask to cancel, reason required), DELETE the same
// (re-engage before the purge) and POST /v1/services/{id}/backups (ask for a backup), for the
// client area and the operator. The handlers read the body and call the service functions
// `cobradorctl cancel` and `backup` call (service/cancellation.hpp, service/backup.hpp).
#include <fmt/format.h>

#include "http/decision_response.hpp"
#include "http/json_error.hpp"
#include "http/request_body.hpp"
#include "http/routes.hpp"
#include "service/backup.hpp"
#include "service/cancellation.hpp"
#include "util/dump_json.hpp"

namespace cobrador::http {

namespace {

using nlohmann::json;

const std::vector<std::string_view> kCallers{"client_area", "operator"};

std::optional<Response> read_offers(const json& body, std::vector<std::string>& out) {
  const auto it = body.find("retention_offers");
  if (it == body.end() || it->is_null()) return std::nullopt;
  const auto wrong =
      error_response(400, "wrong_type", "retention_offers: must be a list of strings", "retention_offers");
  if (!it->is_array()) return wrong;
  for (const auto& offer : *it) {
    if (!offer.is_string()) return wrong;
    out.push_back(offer.get<std::string>());
  }
  return std::nullopt;
}

std::variant<service::CancellationRequest, Response> read_cancellation(const json& body,
                                                                       std::string service) {
  static const std::set<std::string> known{"reason",        "note",    "channel", "retention_offers", "scope",
                                           "prepaid_until", "contact", "force",   "force_note"};
  for (const auto& [name, value] : body.items()) {
    if (!known.count(name)) {
      return error_response(
          400, "unknown_field",
          fmt::format(
              "{}: is unknown (allowed: reason, note, channel, retention_offers, scope, prepaid_until, "
              "contact, force, force_note)",
              name),
          name);
    }
  }
  service::CancellationRequest request;
  request.service = std::move(service);
  request.channel = "api";
  if (!body.contains("reason")) return error_response(400, "missing_field", "reason: is missing", "reason");
  std::string prepaid;
  for (const auto& [name, out] :
       {std::pair{"reason", &request.reason_code}, std::pair{"note", &request.note},
        std::pair{"channel", &request.channel}, std::pair{"scope", &request.scope},
        std::pair{"prepaid_until", &prepaid}, std::pair{"contact", &request.contact},
        std::pair{"force_note", &request.force_note}}) {
    if (auto refusal = text_field(body, name, *out)) return std::move(*refusal);
  }
  if (auto refusal = read_offers(body, request.retention_offers)) return std::move(*refusal);
  if (const auto force = body.find("force"); force != body.end() && !force->is_null()) {
    if (!force->is_boolean())
      return error_response(400, "wrong_type", "force: must be true or false", "force");
    request.force = force->get<bool>();
  }
  if (!prepaid.empty()) {
    const auto day = parse_date(prepaid);
    if (!day)
      return error_response(400, "invalid_field", "prepaid_until: " + day.error().message, "prepaid_until");
    request.prepaid_until = *day;
  }
  return request;
}

Response cancellation_answer(const service::CancellationOutcome& done) {
  if (done.awaiting) {
    json answer = service::to_json(*done.awaiting);
    answer["created"] = done.created;
    return json_response(done.created ? 202 : 200, dump_json(answer));
  }
  json answer = service::to_json(done.records.front());
  answer["created"] = done.created;
  answer["services"] = json::array();
  for (const auto& record : done.records) answer["services"].push_back(record.service);
  return json_response(done.created ? 201 : 200, dump_json(answer));
}

}  // namespace

void post_cancellation(ApiContext& context, Request&& request, Params&& params, Respond respond) {
  auto authorized = authorize_bearer(context.credentials, request, kCallers);
  if (auto* refusal = std::get_if<Response>(&authorized)) return respond(std::move(*refusal));
  json body;
  if (auto refusal = parse_json_object(request, body)) return respond(std::move(*refusal));
  auto read = read_cancellation(body, params.at("id"));
  if (auto* refusal = std::get_if<Response>(&read)) return respond(std::move(*refusal));
  // Only an operator overrides the responsible-person check, never the client area.
  if (std::get<service::CancellationRequest>(read).force &&
      !std::get<Caller>(authorized).has_scope("operator")) {
    return respond(error_response(403, "forbidden_field", "force: needs the operator scope", "force"));
  }
  submit_decision(
      context, std::get<Caller>(authorized),
      [asked = std::get<service::CancellationRequest>(std::move(read))](
          store::Store& store, const policy::Policy& policy, Instant now, const std::string& actor) {
        return service::request_cancellation(store, policy, asked, now, actor);
      },
      cancellation_answer, std::move(respond));
}

void delete_cancellation(ApiContext& context, Request&& request, Params&& params, Respond respond) {
  auto authorized = authorize_bearer(context.credentials, request, kCallers);
  if (auto* refusal = std::get_if<Response>(&authorized)) return respond(std::move(*refusal));
  submit_decision(
      context, std::get<Caller>(authorized),
      [id = params.at("id")](store::Store& store, const policy::Policy& policy, Instant now,
                             const std::string& actor) {
        return service::withdraw(store, policy, id, now, actor);
      },
      [](const service::Withdrawal& withdrawn) { return json_response(200, dump_json(withdrawn.to_json())); },
      std::move(respond));
}

void post_backup(ApiContext& context, Request&& request, Params&& params, Respond respond) {
  auto authorized = authorize_bearer(context.credentials, request, kCallers);
  if (auto* refusal = std::get_if<Response>(&authorized)) return respond(std::move(*refusal));
  // No field is defined yet; a body, when sent, must still be a JSON object with none.
  if (!request.body.empty()) {
    json body;
    if (auto refusal = parse_json_object(request, body)) return respond(std::move(*refusal));
    if (!body.empty()) {
      const auto name = body.begin().key();
      return respond(
          error_response(400, "unknown_field", fmt::format("{}: is unknown (no fields)", name), name));
    }
  }
  const auto& id = params.at("id");
  submit_decision(
      context, std::get<Caller>(authorized),
      [id](store::Store& store, const policy::Policy& policy, Instant now, const std::string& actor) {
        return service::request_backup(store, policy, id, now, actor);
      },
      [id](const service::BackupQueued& queued) {
        json body{{"id", queued.action.key},
                  {"service", id},
                  {"state", to_string(queued.action.state)},
                  {"created", queued.created},
                  {"last_chance", queued.last_chance}};
        if (queued.fee)
          body["fee"] = {{"amount", format_amount(*queued.fee)},
                         {"currency", std::string(queued.fee->currency.code())}};
        return json_response(202, dump_json(body));
      },
      std::move(respond));
}

}  // namespace cobrador::http
