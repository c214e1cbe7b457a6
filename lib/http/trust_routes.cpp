// POST /v1/customers/{id}/trust-release (scopes client_area, operator) and
// POST /v1/customers/{id}/payment-claims (scope client_area): thin shells over
// service::grant_trust_release and service::record_claim, each in the request's savepoint.
//
// trust-release body (all optional): {"reason": "...", "days": N, "force": true}. Only an
// operator may choose `days` or `force` (force needs a reason); the client area always gets
// the policy's length and never overrides a rule. 201 with the promise; 409 with the refusing
// rule as the error code (max_per_12_months, open_promise, ...).
//
// payment-claims body: {"amount": "49.90", "date": "YYYY-MM-DD", "method": "pix",
// "reference": "...", "invoice_id"?: "...", "currency"?: "BRL", "proof_url"?: "https://..."}.
// The proof is a link to where the client area keeps the receipt (http or https, at most
// 2048 characters); cobrador stores the link, never the file.
#include <fmt/format.h>

#include "http/json_error.hpp"
#include "http/request_body.hpp"
#include "http/routes.hpp"
#include "service/payment_claims.hpp"
#include "service/trust_release.hpp"
#include "util/dump_json.hpp"

namespace cobrador::http {

namespace {

using nlohmann::json;

constexpr std::size_t kMaxProofUrl = 2048;
constexpr std::size_t kMaxText = 200;

// Unknown fields are refused by name, as everywhere in the API.
std::optional<Response> only_fields(const json& object, std::initializer_list<std::string_view> allowed) {
  for (const auto& [key, value] : object.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      return error_response(400, "unknown_field", fmt::format("{}: is not a field of this request", key),
                            key);
    }
  }
  return std::nullopt;
}

// A string field: absent is "" unless required; too long or another type is refused.
std::optional<Response> text_field(const json& object, const char* name, bool required, std::size_t max,
                                   std::string& out) {
  const auto it = object.find(name);
  if (it == object.end() || it->is_null()) {
    if (required) return error_response(400, "missing_field", fmt::format("{}: is missing", name), name);
    return std::nullopt;
  }
  if (!it->is_string())
    return error_response(400, "wrong_type", fmt::format("{}: must be a string", name), name);
  out = it->get<std::string>();
  if (required && out.empty())
    return error_response(400, "missing_field", fmt::format("{}: is empty", name), name);
  if (out.size() > max) {
    return error_response(400, "invalid_field", fmt::format("{}: longer than {} characters", name, max),
                          name);
  }
  return std::nullopt;
}

json promise_json(const service::TrustReleaseGranted& granted) {
  const auto& p = granted.promise;
  return {{"customer", p.customer_ext_id},
          {"promise",
           {{"id", p.id},
            {"granted_at", format_instant(p.granted_at)},
            {"deadline", format_date(p.deadline)},
            {"granted_by", p.granted_by},
            {"reason", p.reason},
            {"forced", p.forced},
            {"claim", p.claim_payment.empty() ? json(nullptr) : json(p.claim_payment)}}},
          {"deadline", format_date(p.deadline)},
          {"unsuspended", granted.unsuspended},
          {"postponed", granted.postponed}};
}

Response refused(const service::TrustReleaseRefused& refusal) {
  return error_response(409, refusal.rule, fmt::format("{}: {}", refusal.rule, refusal.message));
}

// The request as the service takes it, or the 400/403 that refuses it.
std::variant<service::TrustReleaseRequest, Response> release_request(const Request& request,
                                                                     const Caller& caller,
                                                                     const std::string& customer) {
  json object = json::object();
  if (!request.body.empty()) {
    if (auto refusal = parse_json_object(request, object)) return std::move(*refusal);
  }
  if (auto refusal = only_fields(object, {"reason", "days", "force"})) return std::move(*refusal);
  service::TrustReleaseRequest out{customer, std::nullopt, "", false, "", caller.actor()};
  if (auto refusal = text_field(object, "reason", false, kMaxText, out.reason)) return std::move(*refusal);
  const bool operator_call = caller.has_scope("operator");
  if (object.contains("days")) {
    if (!operator_call)
      return error_response(403, "forbidden_field", "days: only an operator chooses the length", "days");
    if (!object["days"].is_number_integer()) {
      return error_response(400, "wrong_type", "days: must be a whole number", "days");
    }
    out.days = object["days"].get<int>();
  }
  if (object.contains("force")) {
    if (!object["force"].is_boolean())
      return error_response(400, "wrong_type", "force: must be true or false", "force");
    out.force = object["force"].get<bool>();
    if (out.force && !operator_call) {
      return error_response(403, "forbidden_field", "force: only an operator may override the policy",
                            "force");
    }
  }
  if (out.reason.empty()) out.reason = operator_call ? "" : "asked in the client area";
  return out;
}

std::optional<Response> proof_field(const json& object, std::string& url) {
  if (auto refusal = text_field(object, "proof_url", false, kMaxProofUrl, url)) return refusal;
  if (!url.empty() && url.rfind("https://", 0) != 0 && url.rfind("http://", 0) != 0) {
    return error_response(400, "invalid_field", "proof_url: must be an http:// or https:// link",
                          "proof_url");
  }
  return std::nullopt;
}

std::variant<service::PaymentClaim, Response> claim_of(const Request& request, const Caller& caller,
                                                       const std::string& customer) {
  json object;
  if (auto refusal = parse_json_object(request, object)) return std::move(*refusal);
  if (auto refusal = only_fields(
          object, {"amount", "currency", "date", "method", "reference", "invoice_id", "proof_url"})) {
    return std::move(*refusal);
  }
  service::PaymentClaim claim;
  claim.customer = customer;
  claim.actor = caller.actor();
  std::string date, currency;
  for (const auto& [name, required, out] :
       {std::tuple<const char*, bool, std::string*>{"amount", true, &claim.amount},
        {"date", true, &date},
        {"method", true, &claim.method},
        {"reference", true, &claim.reference},
        {"invoice_id", false, &claim.invoice},
        {"currency", false, &currency}}) {
    if (auto refusal = text_field(object, name, required, kMaxText, *out)) return std::move(*refusal);
  }
  if (!currency.empty()) claim.currency = currency;
  if (auto refusal = proof_field(object, claim.proof_url)) return std::move(*refusal);
  const auto day = parse_date(date);
  if (!day) return error_response(400, "invalid_field", fmt::format("date: {}", day.error().message), "date");
  claim.paid_on = *day;
  return claim;
}

Response claim_response(const service::ClaimOutcome& outcome) {
  if (const auto* no = std::get_if<service::ClaimRefusal>(&outcome)) {
    const int status = no->code == "unknown_customer" ? 404 : no->code == "invalid_field" ? 400 : 409;
    return error_response(status, no->code, no->message,
                          no->field.empty() ? std::nullopt : std::optional<std::string_view>(no->field));
  }
  const auto& recorded = std::get<service::ClaimRecorded>(outcome);
  const auto& p = recorded.payment;
  json release = nullptr;
  if (recorded.release) {
    if (const auto* granted = std::get_if<service::TrustReleaseGranted>(&*recorded.release)) {
      release = promise_json(*granted);
      release["granted"] = true;
    } else {
      const auto& refused = std::get<service::TrustReleaseRefused>(*recorded.release);
      release = {{"granted", false}, {"rule", refused.rule}, {"message", refused.message}};
    }
  }
  return json_response(201, dump_json(json{{"payment",
                                            {{"id", p.ext_id},
                                             {"invoice_id", p.invoice_ext_id},
                                             {"amount", format_amount(p.amount)},
                                             {"currency", p.amount.currency.code()},
                                             {"status", to_string(p.status)},
                                             {"proof_url", p.evidence}}},
                                           {"expires_on", format_date(recorded.expires_on)},
                                           {"trust_release", release}}));
}

}  // namespace

void post_trust_release(ApiContext& context, Request&& request, Params&& params, Respond respond) {
  auto authorized = authorize_bearer(context.credentials, request, {"client_area", "operator"});
  if (auto* refusal = std::get_if<Response>(&authorized)) return respond(std::move(*refusal));
  auto parsed = release_request(request, std::get<Caller>(authorized), params.at("id"));
  if (auto* refusal = std::get_if<Response>(&parsed)) return respond(std::move(*refusal));
  const Instant now = context.clock();
  context.store->submit(
      StoreWorker::Mode::batched,
      [&context, req = std::get<service::TrustReleaseRequest>(std::move(parsed)), now](store::Store& store) {
        const auto outcome = service::grant_trust_release(store, *context.policy.get(), req, now);
        if (!outcome) {
          if (!store.customer(req.customer)) {
            return error_response(404, "unknown_customer", fmt::format("no customer '{}'", req.customer));
          }
          return refused_by_store(outcome.error());
        }
        if (const auto* no = std::get_if<service::TrustReleaseRefused>(&*outcome)) return refused(*no);
        return json_response(201, dump_json(promise_json(std::get<service::TrustReleaseGranted>(*outcome))));
      },
      std::move(respond));
}

void post_payment_claim(ApiContext& context, Request&& request, Params&& params, Respond respond) {
  auto authorized = authorize_bearer(context.credentials, request, {"client_area"});
  if (auto* refusal = std::get_if<Response>(&authorized)) return respond(std::move(*refusal));
  const auto& caller = std::get<Caller>(authorized);
  auto claim = claim_of(request, caller, params.at("id"));
  if (auto* refusal = std::get_if<Response>(&claim)) return respond(std::move(*refusal));
  auto& c = std::get<service::PaymentClaim>(claim);
  c.source = origin_of(caller, request);
  const Instant now = context.clock();
  context.store->submit(
      StoreWorker::Mode::batched,
      [&context, c = std::move(c), now](store::Store& store) {
        return claim_response(service::record_claim(store, *context.policy.get(), c, now));
      },
      std::move(respond));
}

}  // namespace cobrador::http
