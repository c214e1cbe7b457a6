// The operator console (docs/console.md): pages under /console/ on the daemon's HTTP port, served
// by the API's own context (its store thread, policy, clock and credentials), so that the console
// adds no rule of its own: it shows what the store and the service functions say, and its forms
// call the same functions as the CLI and the API.
#pragma once

#include "http/api.hpp"

namespace cobrador::web {

// Adds the console's routes to the API's router; they live as long as the router.
void add_console_routes(http::Router& router, http::ApiContext& context);

}  // namespace cobrador::web
