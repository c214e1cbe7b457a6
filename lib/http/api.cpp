// Implements the API: the routes of every group, 404 and 405, and one latency measure per
// request from the moment it was read to the moment its answer is ready.
#include "http/api.hpp"

#include <chrono>

#include <fmt/format.h>

#include "http/health.hpp"
#include "http/json_error.hpp"
#include "http/routes.hpp"

namespace cobrador::http {

ApiContext::ApiContext(Credentials c, store::OpenedStore s, std::shared_ptr<const policy::Policy> p,
                       std::function<Instant()> now)
    : credentials(std::move(c)),
      store(std::make_unique<StoreWorker>(std::move(s), now)),
      policy(std::move(p)),
      clock(std::move(now)),
      health(std::make_unique<HealthCache>()) {}

// The store thread goes first: a job it still runs may use the health cache or the metrics.
ApiContext::~ApiContext() { store->stop(); }

namespace {

store::OpenedStore without_checkpoints(store::OpenedStore store, bool someone_else_does) {
  if (someone_else_does && store.upkeep) store.upkeep->leave_checkpoints_to_others();
  return store;
}

}  // namespace

Api::Api(Credentials credentials, store::OpenedStore store, std::unique_ptr<store::Upkeep> checkpoints,
         std::shared_ptr<const policy::Policy> policy, std::function<Instant()> clock)
    : checkpointer_(checkpoints ? std::make_unique<store::Checkpointer>(std::move(checkpoints)) : nullptr),
      context_(std::move(credentials), without_checkpoints(std::move(store), checkpointer_ != nullptr),
               std::move(policy), std::move(clock)) {
  add_api_routes(router_, context_);
}

void Api::serve(Request&& request, Respond respond) {
  auto match = router_.match(request.method, request.path);
  const auto started = std::chrono::steady_clock::now();
  const std::string route = match.route ? match.route->pattern : "unmatched";
  auto measured = [this, respond = std::move(respond), method = request.method, route,
                   started](Response response) {
    context_.metrics.observe(method, route, response.status, std::chrono::steady_clock::now() - started);
    respond(std::move(response));
  };
  if (match.route)
    return match.route->handler(std::move(request), std::move(match.params), std::move(measured));
  if (match.allowed.empty()) {
    // A customer's link is a credential: its path is not repeated (docs/customer-page.md).
    const auto path = request.path.starts_with("/c/") ? std::string("/c/…") : request.path;
    return measured(error_response(404, "not_found", fmt::format("no route for {}", path)));
  }
  auto refusal = error_response(
      405, "method_not_allowed",
      fmt::format("{} does not accept {}",
                  request.path.starts_with("/c/") ? std::string("/c/…") : request.path, request.method));
  refusal.headers.emplace_back("Allow", fmt::format("{}", fmt::join(match.allowed, ", ")));
  measured(std::move(refusal));
}

}  // namespace cobrador::http
