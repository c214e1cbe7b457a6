// PUT /v1/customers/{id}, /v1/services/{id}, /v1/invoices/{id} (scope billing): idempotent
// upserts through the same service functions as `cobradorctl import`, then settle() in the
// same transaction, so an invoice voided over the API ends the episode at once. 201 with the
// stored object when it was created, 200 when it was updated or already so.
#include <fmt/format.h>

#include "http/entity_json.hpp"
#include "http/json_error.hpp"
#include "http/request_body.hpp"
#include "http/routes.hpp"
#include "service/billing.hpp"
#include "util/dump_json.hpp"

namespace cobrador::http {

namespace {

using nlohmann::json;
using service::ImportKind;

template <class Entity>
using PutFunction = Result<store::UpsertOutcome> (*)(store::BillingStore&, const Entity&, Instant,
                                                     const service::Origin&);

json read_back(store::Book& store, const Customer& c) { return customer_json(*store.customer(c.ext_id)); }
json read_back(store::Book& store, const Service& s) { return service_json(*store.service(s.ext_id)); }
json read_back(store::Book& store, const Invoice& i) { return invoice_json(*store.invoice(i.ext_id)); }

// Runs on the store thread, inside the request's savepoint.
template <class Entity>
Response upsert(store::Store& store, const policy::Policy& policy, PutFunction<Entity> put,
                const Entity& entity, Instant now, const service::Origin& origin) {
  const auto outcome = put(store, entity, now, origin);
  if (!outcome) return refused_by_store(outcome.error());
  if (outcome->what != store::Upsert::unchanged)
    service::settle(store, policy, {outcome->customer_id}, now, origin.actor);
  return json_response(outcome->what == store::Upsert::inserted ? 201 : 200,
                       dump_json(read_back(store, entity)));
}

// The path's id is the entity's id; a body that names another one is refused.
std::optional<Response> take_path_id(json& object, const std::string& id) {
  if (object.contains("id") && object["id"] != id) {
    return error_response(
        400, "invalid_field",
        fmt::format("id: the body says {} but the path says '{}'", dump_json(object["id"]), id), "id");
  }
  object["id"] = id;
  return std::nullopt;
}

// One PUT route: `build` reads the entity from the request's fields as an import row is read,
// `put` writes it. A template on both, so that each route is a plain handler (routes.hpp).
template <class Entity, ImportKind kind, Entity (*build)(const service::Fields&, service::FieldProblems&),
          PutFunction<Entity> put>
void put_route(ApiContext& context, Request&& request, Params&& params, Respond respond) {
  auto authorized = authorize_bearer(context.credentials, request, {"billing"});
  if (auto* refusal = std::get_if<Response>(&authorized)) return respond(std::move(*refusal));
  const auto& caller = std::get<Caller>(authorized);
  json object;
  if (auto refusal = parse_json_object(request, object)) return respond(std::move(*refusal));
  if (auto refusal = take_path_id(object, params.at("id"))) return respond(std::move(*refusal));
  service::Fields fields;
  if (const auto problem = service::fields_from_json(object, service::columns_of(kind), fields)) {
    return respond(field_problem(*problem));
  }
  service::FieldProblems problems;
  auto entity = build(fields, problems);
  if (!problems.empty()) return respond(field_problem(problems.front()));
  const service::Origin origin{caller.actor(), origin_of(caller, request)};
  const Instant now = context.clock();
  context.store->submit(
      StoreWorker::Mode::batched,
      [&context, entity = std::move(entity), origin, now](store::Store& store) {
        return upsert(store, *context.policy.get(), put, entity, now, origin);
      },
      std::move(respond));
}

}  // namespace

const ContextHandler put_customer_route =
    put_route<Customer, ImportKind::customers, service::customer_from, service::put_customer>;
const ContextHandler put_service_route =
    put_route<Service, ImportKind::services, service::service_from, service::put_service>;
const ContextHandler put_invoice_route =
    put_route<Invoice, ImportKind::invoices, service::invoice_from, service::put_invoice>;

}  // namespace cobrador::http
