// The customer's page on the daemon's HTTP port (docs/customer-page.md): /c/<token> and its
// forms, served by the API's own context like the console (its store thread, policy, clock),
// so that each action goes through the same service function as the CLI and the API. Offered
// only when cobrador.yaml has public_url and links.
#pragma once

#include "config/config.hpp"
#include "http/api.hpp"

namespace cobrador::web {

// Adds /c/ to the router when `config` has links; nothing otherwise.
void add_self_service_routes(http::Router& router, http::ApiContext& context, const config::Config& config);

}  // namespace cobrador::web
