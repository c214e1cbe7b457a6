// Implements daemon/http_server.hpp.
#include "daemon/http_server.hpp"

#include <exception>

#include "daemon/open_database.hpp"
#include "dispatch/dispatcher.hpp"
#include "web/console.hpp"
#include "web/self_service_routes.hpp"

namespace cobrador::daemon {

Result<std::unique_ptr<http::Server>> create_http_server(const config::Config& config,
                                                         std::shared_ptr<const policy::Policy> policy,
                                                         std::function<Instant()> clock) {
  http::ServerStores stores;
  try {
    stores.requests = open_database_with_upkeep(config, "http");
    stores.checkpoints = open_upkeep(config);
  } catch (const std::exception& e) {
    return make_error(e.what());
  }
  const auto retry = dispatch::dispatcher_options_from(config, *policy, [](const std::string&) {}).retry;
  auto server = http::Server::create(config, std::move(policy), std::move(stores), retry, std::move(clock));
  if (server) {
    (*server)->api().extend(web::add_console_routes);
    (*server)->api().extend([&config](http::Router& router, http::ApiContext& context) {
      web::add_self_service_routes(router, context, config);
    });
  }
  return server;
}

}  // namespace cobrador::daemon
