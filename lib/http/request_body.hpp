// What handlers share to read a body and to turn the service layer's refusals into answers.
// Internal to lib/http.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "http/auth.hpp"
#include "http/message.hpp"
#include "service/entity_fields.hpp"
#include "util/result.hpp"

namespace cobrador::http {

// The body as a JSON object, or the 400 answer (malformed_json) that refuses it.
std::optional<Response> parse_json_object(const Request& request, nlohmann::json& object);

// 400 with the problem's code (unknown_field, missing_field, wrong_type, invalid_field).
Response field_problem(const service::FieldProblem& problem);

// 400 invalid_field for an error of the store or the service layer, whose message starts
// with the field at fault ("customer_id: no customer 'c9'").
Response refused_by_store(const Error& error);

// 200 for a webhook-id already applied: the sender stops retrying, nothing is applied again.
Response duplicate_delivery(const Caller& caller);

// "api:billing PUT /v1/invoices/i-1": where a write came from, for the audit trail.
std::string origin_of(const Caller& caller, const Request& request);

}  // namespace cobrador::http
