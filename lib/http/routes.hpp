// The API's routes: one handler per route, written in the route files (one file per group),
// and the one table that maps each method and path to its handler (routes.cpp), so that the
// whole surface of SPEC §6 reads in one place. Internal to lib/http.
#pragma once

#include "http/api.hpp"

namespace cobrador::http {

// A route's handler: a function of the API's context and the request.
using ContextHandler = void (*)(ApiContext& context, Request&& request, Params&& params, Respond respond);

// Adds every route of the API to `router`, each called with `context`.
void add_api_routes(Router& router, ApiContext& context);

// billing_routes.cpp: PUT customers, services, invoices (scope billing).
extern const ContextHandler put_customer_route;
extern const ContextHandler put_service_route;
extern const ContextHandler put_invoice_route;
// payment_routes.cpp: payments and the banks' hooks.
void post_payment(ApiContext& context, Request&& request, Params&& params, Respond respond);
void post_bank_hook(ApiContext& context, Request&& request, Params&& params, Respond respond);
// bank_statement_routes.cpp
void post_bank_statement(ApiContext& context, Request&& request, Params&& params, Respond respond);
// panel_routes.cpp: the panels' callbacks.
void post_panel_hook(ApiContext& context, Request&& request, Params&& params, Respond respond);
// read_routes.cpp
void get_customer(ApiContext& context, Request&& request, Params&& params, Respond respond);
void get_forecast(ApiContext& context, Request&& request, Params&& params, Respond respond);
// ops_routes.cpp: open to anyone who can reach the listen address.
void get_healthz(ApiContext& context, Request&& request, Params&& params, Respond respond);
void get_metrics(ApiContext& context, Request&& request, Params&& params, Respond respond);
// trust_routes.cpp: the client area's trust releases and payment claims.
void post_trust_release(ApiContext& context, Request&& request, Params&& params, Respond respond);
void post_payment_claim(ApiContext& context, Request&& request, Params&& params, Respond respond);
// lifecycle_routes.cpp: cancellations and backups.
void post_cancellation(ApiContext& context, Request&& request, Params&& params, Respond respond);
void delete_cancellation(ApiContext& context, Request&& request, Params&& params, Respond respond);
void post_backup(ApiContext& context, Request&& request, Params&& params, Respond respond);
// desk_routes.cpp: the operator's tasks and contacts.
void get_tasks(ApiContext& context, Request&& request, Params&& params, Respond respond);
void post_task_outcome(ApiContext& context, Request&& request, Params&& params, Respond respond);
void post_contact(ApiContext& context, Request&& request, Params&& params, Respond respond);
// suspension_routes.cpp: suspension by hand.
void post_suspension(ApiContext& context, Request&& request, Params&& params, Respond respond);
void delete_suspension(ApiContext& context, Request&& request, Params&& params, Respond respond);

}  // namespace cobrador::http
