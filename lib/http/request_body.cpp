// Implements body parsing and the mapping of refusals to JSON errors.
#include "http/request_body.hpp"

#include <fmt/format.h>

#include "http/json_error.hpp"

namespace cobrador::http {

std::optional<Response> parse_json_object(const Request& request, nlohmann::json& object) {
  object = nlohmann::json::parse(request.body, nullptr, false);
  if (object.is_discarded()) return error_response(400, "malformed_json", "the body is not valid JSON");
  if (!object.is_object()) return error_response(400, "malformed_json", "the body must be a JSON object");
  return std::nullopt;
}

Response field_problem(const service::FieldProblem& problem) {
  using Kind = service::FieldProblem::Kind;
  const char* code = problem.kind == Kind::unknown      ? "unknown_field"
                     : problem.kind == Kind::missing    ? "missing_field"
                     : problem.kind == Kind::wrong_type ? "wrong_type"
                                                        : "invalid_field";
  return error_response(400, code, fmt::format("{}: {}", problem.field, problem.problem), problem.field);
}

Response refused_by_store(const Error& error) {
  const auto colon = error.message.find(": ");
  if (colon == std::string::npos) return error_response(400, "invalid_field", error.message);
  return error_response(400, "invalid_field", error.message,
                        std::string_view(error.message).substr(0, colon));
}

Response duplicate_delivery(const Caller& caller) {
  const nlohmann::json body{{"duplicate", true},
                            {"webhook_id", caller.webhook_id},
                            {"message", "this webhook-id was applied before; nothing was applied again"}};
  return {200, "application/json", body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), {}};
}

std::string origin_of(const Caller& caller, const Request& request) {
  return fmt::format("api:{} {} {}", caller.name, request.method, request.path);
}

}  // namespace cobrador::http
