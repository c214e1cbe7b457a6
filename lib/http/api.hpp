// The HTTP API of SPEC §6 without the network: routes, the caller checks, the store thread
// and the metrics. Server feeds it requests read from sockets; tests may feed it directly.
#pragma once

#include <functional>
#include <memory>
#include <mutex>

#include "dispatch/record.hpp"
#include "http/auth.hpp"
#include "store/checkpointer.hpp"
#include "http/message.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"
#include "http/store_worker.hpp"
#include "policy/policy.hpp"
#include "store/upkeep.hpp"

namespace cobrador::http {

// The policy in force; the daemon swaps it on SIGHUP while requests are being served.
class PolicySource {
 public:
  explicit PolicySource(std::shared_ptr<const policy::Policy> policy) : policy_(std::move(policy)) {}
  std::shared_ptr<const policy::Policy> get() const {
    std::lock_guard lock(mutex_);
    return policy_;
  }
  void set(std::shared_ptr<const policy::Policy> policy) {
    std::lock_guard lock(mutex_);
    policy_ = std::move(policy);
  }

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const policy::Policy> policy_;
};

// The answer of /healthz, refreshed from the store at most once a second so that probes
// (and load balancers that probe hard) never queue behind each other on the store thread.
class HealthCache;

// What every handler may use.
struct ApiContext {
  Credentials credentials;
  std::unique_ptr<StoreWorker> store;
  PolicySource policy;
  std::function<Instant()> clock;
  Metrics metrics;
  std::unique_ptr<HealthCache> health;
  // The dispatcher's retry rules (cobrador.yaml `dispatch:`): a panel's "failed" callback is a
  // failed attempt like any other. Set before the first request.
  dispatch::RetryRules retry_rules;
  // The billing systems under `sources:`, whose last sync pass /metrics shows.
  std::vector<std::string> sources;

  ApiContext(Credentials c, store::OpenedStore s, std::shared_ptr<const policy::Policy> p,
             std::function<Instant()> now);
  ~ApiContext();
};

class Api {
 public:
  // `store` serves the requests; `checkpoints`, a second connection to the same database,
  // checkpoints its log off the commit path (without one, `store` checkpoints as it commits;
  // a database whose server checkpoints by itself has neither).
  Api(Credentials credentials, store::OpenedStore store, std::unique_ptr<store::Upkeep> checkpoints,
      std::shared_ptr<const policy::Policy> policy, std::function<Instant()> clock);

  // Routes the request; `respond` is called exactly once, from this thread or the store's.
  void serve(Request&& request, Respond respond);

  const Router& router() const { return router_; }
  // For what is served beside the API on the same port (the console, lib/web): adds routes
  // whose handlers use the API's own context (its store thread, policy, clock, credentials).
  void extend(const std::function<void(Router&, ApiContext&)>& add) { add(router_, context_); }
  Metrics& metrics() { return context_.metrics; }
  void set_policy(std::shared_ptr<const policy::Policy> policy) { context_.policy.set(std::move(policy)); }
  void set_retry_rules(const dispatch::RetryRules& rules) { context_.retry_rules = rules; }
  void set_sources(std::vector<std::string> names) { context_.sources = std::move(names); }
  // Answers what the store thread still holds, then stops it.
  void stop() { context_.store->stop(); }

 private:
  std::unique_ptr<store::Checkpointer> checkpointer_;
  ApiContext context_;
  Router router_;
};

}  // namespace cobrador::http
