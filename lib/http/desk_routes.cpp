// The operator's desk over HTTP (docs/tasks.md): GET /v1/tasks?kind=&state=&customer=&limit=
// (read or operator), POST /v1/tasks/{id}/outcome and POST /v1/customers/{id}/contacts
// (operator). The same service functions as `cobradorctl tasks`, `task` and `contact`.
#include <charconv>
#include <set>

#include <fmt/format.h>

#include "http/decision_response.hpp"
#include "http/request_body.hpp"
#include "service/desk.hpp"
#include "util/dump_json.hpp"

namespace cobrador::http {

namespace {

using nlohmann::json;

const std::vector<std::string_view> kReaders{"read", "operator"};
const std::vector<std::string_view> kOperators{"operator"};
constexpr int kMaxTasks = 1000;

std::optional<Response> unknown_fields(const json& body, const std::set<std::string>& known) {
  for (const auto& [name, value] : body.items()) {
    if (!known.count(name)) {
      std::vector<std::string> allowed(known.begin(), known.end());
      return error_response(400, "unknown_field",
                            fmt::format("{}: is unknown (allowed: {})", name, fmt::join(allowed, ", ")),
                            name);
    }
  }
  return std::nullopt;
}

std::optional<Response> string_list(const json& body, const char* name, std::vector<std::string>& out) {
  const auto it = body.find(name);
  if (it == body.end() || it->is_null()) return std::nullopt;
  const auto wrong =
      error_response(400, "wrong_type", fmt::format("{}: must be a list of strings", name), name);
  if (!it->is_array()) return wrong;
  for (const auto& item : *it) {
    if (!item.is_string()) return wrong;
    out.push_back(item.get<std::string>());
  }
  return std::nullopt;
}

std::optional<Response> id_field(const json& body, const char* name, std::int64_t& out) {
  const auto it = body.find(name);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_number_integer() || it->get<std::int64_t>() <= 0)
    return error_response(400, "wrong_type", fmt::format("{}: must be a task number", name), name);
  out = it->get<std::int64_t>();
  return std::nullopt;
}

std::variant<store::TaskFilter, Response> task_filter(const Request& request) {
  store::TaskFilter filter;
  bool found = false;
  if (auto kind = request.query_value("kind", &found); found) filter.kind = std::move(kind);
  auto state = request.query_value("state", &found);
  if (!found) state = "open";
  if (state != "all") filter.state = std::move(state);
  if (auto customer = request.query_value("customer", &found); found) filter.customer = std::move(customer);
  if (auto assignee = request.query_value("assignee", &found); found) filter.assignee = std::move(assignee);
  const auto limit = request.query_value("limit", &found);
  if (found) {
    int n = 0;
    const auto [end, ec] = std::from_chars(limit.data(), limit.data() + limit.size(), n);
    if (ec != std::errc() || end != limit.data() + limit.size() || n < 1 || n > kMaxTasks) {
      return error_response(400, "invalid_field",
                            fmt::format("limit: must be a whole number from 1 to {}", kMaxTasks), "limit");
    }
    filter.limit = n;
  }
  return filter;
}

// The task number of the path: digits only, within int64.
std::optional<std::int64_t> task_number(const std::string& text) {
  std::int64_t n = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size() || n <= 0) return std::nullopt;
  return n;
}

std::variant<service::TaskClosing, Response> read_closing(const json& body, std::int64_t task_id) {
  if (auto refusal = unknown_fields(body, {"action", "outcome", "note", "reason", "retention_offers"}))
    return std::move(*refusal);
  service::TaskClosing closing;
  closing.task_id = task_id;
  std::string action = "done";
  for (const auto& [name, out] :
       {std::pair{"action", &action}, std::pair{"outcome", &closing.outcome},
        std::pair{"note", &closing.note}, std::pair{"reason", &closing.reason_code}}) {
    if (auto refusal = text_field(body, name, *out)) return std::move(*refusal);
  }
  if (auto refusal = string_list(body, "retention_offers", closing.retention_offers))
    return std::move(*refusal);
  if (action != "done" && action != "dismiss")
    return error_response(400, "invalid_field", "action: must be done or dismiss", "action");
  if (closing.outcome.empty()) return error_response(400, "missing_field", "outcome: is missing", "outcome");
  closing.closing = action == "done" ? policy::Closing::done : policy::Closing::dismissed;
  return closing;
}

std::variant<service::ContactInput, Response> read_contact(const json& body, std::string customer) {
  if (auto refusal = unknown_fields(body, {"channel", "direction", "outcome", "cause", "note", "task"}))
    return std::move(*refusal);
  service::ContactInput input;
  input.customer = std::move(customer);
  for (const auto& [name, out] :
       {std::pair{"channel", &input.channel}, std::pair{"direction", &input.direction},
        std::pair{"outcome", &input.outcome}, std::pair{"cause", &input.cause},
        std::pair{"note", &input.note}}) {
    if (auto refusal = text_field(body, name, *out)) return std::move(*refusal);
  }
  if (auto refusal = id_field(body, "task", input.task_id)) return std::move(*refusal);
  for (const auto* required : {"channel", "outcome"}) {
    if (!body.contains(required))
      return error_response(400, "missing_field", fmt::format("{}: is missing", required), required);
  }
  return input;
}

}  // namespace

void get_tasks(ApiContext& context, Request&& request, Params&&, Respond respond) {
  auto authorized = authorize_bearer(context.credentials, request, kReaders);
  if (auto* refusal = std::get_if<Response>(&authorized)) return respond(std::move(*refusal));
  auto filter = task_filter(request);
  if (auto* refusal = std::get_if<Response>(&filter)) return respond(std::move(*refusal));
  submit_decision(
      context, std::get<Caller>(authorized),
      [filter = std::get<store::TaskFilter>(std::move(filter))](store::Store& store, const policy::Policy&,
                                                                Instant, const std::string&) {
        return service::list_tasks(store, filter);
      },
      [](const std::vector<store::TaskRecord>& tasks) {
        json rows = json::array();
        for (const auto& t : tasks) rows.push_back(service::to_json(t));
        return json_response(200, dump_json(json{{"tasks", rows}}));
      },
      std::move(respond));
}

void post_task_outcome(ApiContext& context, Request&& request, Params&& params, Respond respond) {
  auto authorized = authorize_bearer(context.credentials, request, kOperators);
  if (auto* refusal = std::get_if<Response>(&authorized)) return respond(std::move(*refusal));
  json body;
  if (auto refusal = parse_json_object(request, body)) return respond(std::move(*refusal));
  const auto id = task_number(params.at("id"));
  if (!id) return respond(error_response(404, "unknown_task", fmt::format("no task '{}'", params.at("id"))));
  auto read = read_closing(body, *id);
  if (auto* refusal = std::get_if<Response>(&read)) return respond(std::move(*refusal));
  submit_decision(
      context, std::get<Caller>(authorized),
      [closing = std::get<service::TaskClosing>(std::move(read))](
          store::Store& store, const policy::Policy& policy, Instant now, const std::string& actor) {
        return service::close_task(store, policy, closing, now, actor);
      },
      [](const service::TaskClosed& closed) {
        json answer = service::to_json(closed.task);
        if (closed.confirmation) {
          const auto& c = *closed.confirmation;
          json records = json::array();
          for (const auto& r : c.records) records.push_back(service::to_json(r));
          answer["cancellation"] = {
              {"state", c.state},
              {"rule", c.rule},
              {"records", records},
              {"next_attempt_on", c.next_attempt_on ? json(format_date(*c.next_attempt_on)) : json(nullptr)}};
        }
        return json_response(200, dump_json(answer));
      },
      std::move(respond));
}

void post_contact(ApiContext& context, Request&& request, Params&& params, Respond respond) {
  auto authorized = authorize_bearer(context.credentials, request, kOperators);
  if (auto* refusal = std::get_if<Response>(&authorized)) return respond(std::move(*refusal));
  json body;
  if (auto refusal = parse_json_object(request, body)) return respond(std::move(*refusal));
  auto read = read_contact(body, params.at("id"));
  if (auto* refusal = std::get_if<Response>(&read)) return respond(std::move(*refusal));
  submit_decision(
      context, std::get<Caller>(authorized),
      [input = std::get<service::ContactInput>(std::move(read))](store::Store& store, const policy::Policy&,
                                                                 Instant now, const std::string& actor) {
        return service::record_contact(store, input, now, actor);
      },
      [](const store::ContactRecord& contact) {
        return json_response(201, dump_json(service::to_json(contact)));
      },
      std::move(respond));
}

}  // namespace cobrador::http
