// GET /healthz and GET /metrics: open to anyone who can reach the listen address (SPEC §6),
// which is why the daemon listens on loopback by default. /healthz tells anyone whether the
// daemon is well, and only an API client (a valid bearer token of any scope) what it is: its
// host and pid, the walk's leader, the store and the last walk.
#include <nlohmann/json.hpp>

#include "http/health.hpp"
#include "http/metrics.hpp"
#include "util/process_name.hpp"
#include "http/routes.hpp"

namespace cobrador::http {

namespace {

StoreFigures figures_of(store::Store& store, const policy::Policy& policy,
                        const std::vector<std::string>& sources, Instant now) {
  std::vector<std::string> stage_order;
  for (const auto& stage : policy.stages) stage_order.push_back(stage.name);
  StoreFigures figures{store.last_walk(),
                       store.customers_by_stage(stage_order),
                       store.outbox_counts(),
                       std::string(store.backend()),
                       process_name(),
                       store.walk_leader(),
                       store.open_task_counts(),
                       now,
                       {}};
  for (const auto& source : sources)
    if (auto pass = service::last_sync_pass(store, source)) figures.sync_passes.push_back(std::move(*pass));
  return figures;
}

}  // namespace

void get_healthz(ApiContext& context, Request&& request, Params&&, Respond respond) {
  auto detail = HealthCache::Detail::brief;
  // A probe sends no token; a token that is sent must be valid, so that a caller who expects
  // the detail learns why it got none.
  if (!request.header("authorization").empty()) {
    auto authenticated = authenticate_bearer(context.credentials, request);
    if (auto* refusal = std::get_if<Response>(&authenticated)) return respond(std::move(*refusal));
    detail = HealthCache::Detail::full;
  }
  context.health->answer(*context.store, detail, std::move(respond));
}

void get_metrics(ApiContext& context, Request&&, Params&&, Respond respond) {
  context.store->submit(
      StoreWorker::Mode::alone,
      [&context](store::Store& store) {
        Response response;
        response.content_type = "text/plain; version=0.0.4; charset=utf-8";
        response.body = context.metrics.render(
            figures_of(store, *context.policy.get(), context.sources, context.clock()));
        return response;
      },
      std::move(respond));
}

}  // namespace cobrador::http
