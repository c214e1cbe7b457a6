// Implements the daemon's components as thin adapters over http::Server and
// dispatch::Dispatcher, which do the work and are tested on their own.
#include "daemon/components.hpp"

#include "daemon/http_server.hpp"
#include "daemon/open_database.hpp"
#include "dispatch/dispatcher.hpp"
#include "http/server.hpp"
#include "util/log.hpp"

namespace cobrador::daemon {

namespace {

class HttpComponent final : public Component {
 public:
  explicit HttpComponent(const Services& services) : io_(services.io) {
    auto server = create_http_server(*services.config, services.policy);
    if (!server) throw std::runtime_error(server.error().message);
    server_ = std::move(*server);
  }
  void start() override {
    const auto started = server_->start(io_);
    if (!started) throw std::runtime_error(started.error().message);
    log::info("HTTP API listening on port {}", server_->port());
  }
  void stop(std::function<void()> done) override {
    server_->stop();
    done();
  }
  // A reloaded policy reaches the API's next request (listen address changes need a restart).
  void reload(const config::Config&, const policy::Policy& policy) override {
    server_->api().set_policy(std::make_shared<const policy::Policy>(policy));
  }

 private:
  asio::io_context& io_;
  std::unique_ptr<http::Server> server_;
};

// The dispatcher with its own database connection, used only by its store thread. A reload
// builds a new one, with a connection of its own, so that panels, channels and templates follow
// the new configuration while the old one finishes what it has in flight.
class DispatchComponent final : public Component {
 public:
  explicit DispatchComponent(const Services& services) : io_(services.io), opened_with_(services.config) {
    running_ = build(*services.config, *services.policy);
  }
  void start() override { running_->dispatcher->start(); }
  void stop(std::function<void()> done) override { running_->dispatcher->stop(std::move(done)); }
  void reload(const config::Config& config, const policy::Policy& policy) override {
    auto old = std::move(running_);
    running_ = build(config, policy);
    old->dispatcher->stop([old] {});
    running_->dispatcher->start();
  }

 private:
  struct Running {
    std::unique_ptr<store::Store> store;  // first: it outlives the dispatcher
    std::unique_ptr<dispatch::Dispatcher> dispatcher;
  };

  std::shared_ptr<Running> build(const config::Config& config, const policy::Policy& policy) {
    const auto outbound = dispatch::outbound_from(config);
    for (const auto& [what, why] : outbound.unusable) log::warning("{}: {}", what, why);
    auto running = std::make_shared<Running>();
    running->store = daemon::open_database(*opened_with_, "dispatch");
    running->dispatcher = std::make_unique<dispatch::Dispatcher>(
        io_, *running->store, outbound,
        dispatch::dispatcher_options_from(config, policy,
                                          [](const std::string& message) { log::warning("{}", message); }));
    return running;
  }

  asio::io_context& io_;
  // The database is the one the daemon started with: a new path waits for a restart.
  std::shared_ptr<const config::Config> opened_with_;
  std::shared_ptr<Running> running_;
};

}  // namespace

std::unique_ptr<Component> make_http_component(const Services& services) {
  return std::make_unique<HttpComponent>(services);
}

std::unique_ptr<Component> make_dispatch_component(const Services& services) {
  return std::make_unique<DispatchComponent>(services);
}

}  // namespace cobrador::daemon
