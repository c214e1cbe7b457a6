// The route groups of the API, one file each; api.cpp adds them all to one Router.
// Internal to lib/http.
#pragma once

#include "http/api.hpp"

namespace cobrador::http {

// A route's handler as the route files write it: a function of the API's context and the request.
using ContextHandler = void (*)(ApiContext& context, Request&& request, Params&& params, Respond respond);

// Routes `method` and `pattern` to `handler`, called with `context`.
void add_route(Router& router, ApiContext& context, std::string method, std::string pattern,
               ContextHandler handler);

void add_billing_routes(Router& router, ApiContext& context);         // PUT customers, services, invoices
void add_payment_routes(Router& router, ApiContext& context);         // POST payments, bank hooks
void add_panel_routes(Router& router, ApiContext& context);           // POST panel hooks
void add_read_routes(Router& router, ApiContext& context);            // GET customer, forecast
void add_ops_routes(Router& router, ApiContext& context);             // /healthz, /metrics
void add_trust_routes(Router& router, ApiContext& context);           // POST trust-release, payment-claims
void add_bank_statement_routes(Router& router, ApiContext& context);  // POST bank statements
void add_lifecycle_routes(Router& router, ApiContext& context);       // cancellation, backups
void add_suspension_routes(Router& router, ApiContext& context);  // POST/DELETE service suspension by hand

}  // namespace cobrador::http
