// The HTTP/1.1 server of the API (SPEC §6), on Boost.Beast, embedded in cobradord or started
// alone (tests, bench/api_server). It runs on the caller's io_context: start() binds and
// starts accepting, stop() closes the listener and every connection and stops the store
// thread after it answered what it held. Destroy the Server before its io_context.
//
// Limits (docs/api.md): bodies up to 1 MiB (413 beyond), headers up to 16 KiB (431), a whole
// request must arrive within http.read_timeout, a keep-alive connection may idle for
// http.idle_timeout and live for http.max_connection_age, and at most http.max_connections
// are open, http.max_connections_per_peer from one address (http/admission.hpp: an idle
// connection gives way to a new one; 503 when none can).
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "config/config.hpp"
#include "http/api.hpp"
#include "dispatch/record.hpp"
#include "policy/policy.hpp"
#include "store/upkeep.hpp"
#include "util/clock.hpp"
#include "util/result.hpp"

namespace boost::asio {
class io_context;
}

namespace cobrador::http {

struct ServerLimits {
  std::size_t body_limit = 1024 * 1024;
  std::size_t header_limit = 16 * 1024;
  int max_connections = 512;
  int max_connections_per_peer = 128;
  std::chrono::milliseconds read_timeout{10'000};
  std::chrono::milliseconds idle_timeout{60'000};
  std::chrono::milliseconds write_timeout{10'000};
  std::chrono::milliseconds max_connection_age{600'000};
};

// The connections the API works on, opened by the caller (daemon/http_server opens them from
// the configuration): one for requests, on the API's store thread, with its upkeep, and one
// for SQLite's checkpoints (none on PostgreSQL, whose server checkpoints by itself).
struct ServerStores {
  store::OpenedStore requests;
  std::unique_ptr<store::Upkeep> checkpoints;
};

class Server {
 public:
  // Reads every token and secret file: whatever a bad config breaks, breaks here, before the
  // first request. `retry` is the dispatcher's, for panel callbacks that ask for a retry.
  // `clock` is "now" for signatures and the store.
  static Result<std::unique_ptr<Server>> create(const config::Config& config,
                                                std::shared_ptr<const policy::Policy> policy,
                                                ServerStores stores, const dispatch::RetryRules& retry,
                                                std::function<Instant()> clock = &clock::now);
  Server(std::unique_ptr<Api> api, std::string listen, ServerLimits limits);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds the listen address ("127.0.0.1:8417", "[::1]:8417"; port 0 picks a free one) and
  // starts accepting on `io`. An address that cannot be bound is an error naming it.
  Status start(boost::asio::io_context& io);
  // Safe to call twice, and from any thread.
  void stop();

  // The bound port (after start()).
  unsigned short port() const;
  Api& api() { return *api_; }

 private:
  struct Listener;
  std::shared_ptr<Api> api_;
  std::string listen_;
  ServerLimits limits_;
  std::shared_ptr<Listener> listener_;
};

}  // namespace cobrador::http
