// Implements the listener (accept, the connection cap, stop) and the Server's start-up.
#include "http/server.hpp"

#include <atomic>
#include <cstdio>

#include <fmt/format.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "http/session.hpp"

namespace cobrador::http {

namespace {

// "127.0.0.1:8417", "[::1]:8417": the address and port, or an error naming the text.
Result<tcp::endpoint> endpoint_of(const std::string& listen) {
  const auto colon = listen.rfind(':');
  const auto bad =
      make_error(fmt::format("listen: '{}' is not an address and port like 127.0.0.1:8417", listen));
  if (colon == std::string::npos) return bad;
  std::string host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  unsigned port = 0;
  try {
    std::size_t used = 0;
    port = static_cast<unsigned>(std::stoul(listen.substr(colon + 1), &used));
    if (used != listen.size() - colon - 1 || port > 65535) return bad;
  } catch (const std::exception&) {
    return bad;
  }
  beast::error_code ec;
  const auto address = net::ip::make_address(host, ec);
  if (ec) return bad;
  return tcp::endpoint(address, static_cast<unsigned short>(port));
}

ServerLimits limits_of(const config::Config& config) {
  ServerLimits limits;
  limits.max_connections = config.http.max_connections;
  limits.max_connections_per_peer = config.http.max_connections_per_peer;
  limits.max_connection_age = config.http.max_connection_age;
  limits.read_timeout = config.http.read_timeout;
  limits.idle_timeout = config.http.idle_timeout;
  return limits;
}

}  // namespace

struct Server::Listener : std::enable_shared_from_this<Listener> {
  Listener(net::io_context& io, std::shared_ptr<Connections> c)
      : io_(io),
        acceptor_(net::make_strand(io)),
        retry_(acceptor_.get_executor()),
        connections_(std::move(c)) {}

  Status open(const tcp::endpoint& endpoint) {
    beast::error_code ec;
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
    if (ec)
      return make_error(
          fmt::format("listen: cannot listen on {}: {}", endpoint_text(endpoint), ec.message()));
    port_ = acceptor_.local_endpoint().port();
    return Ok{};
  }

  static std::string endpoint_text(const tcp::endpoint& endpoint) {
    return fmt::format("{}:{}", endpoint.address().to_string(), endpoint.port());
  }

  void accept() {
    acceptor_.async_accept(net::make_strand(io_),
                           [self = shared_from_this()](beast::error_code ec, tcp::socket s) {
                             self->on_accept(ec, std::move(s));
                           });
  }

  void on_accept(beast::error_code ec, tcp::socket socket) {
    if (!acceptor_.is_open()) return;  // stopped
    if (ec) {
      // Out of file descriptors, most likely: wait a moment instead of spinning.
      std::fprintf(stderr, "cobrador http: accept: %s\n", ec.message().c_str());
      retry_.expires_after(std::chrono::milliseconds{50});
      retry_.async_wait([self = shared_from_this()](beast::error_code) { self->accept(); });
      return;
    }
    auto session = std::make_shared<Session>(std::move(socket), connections_);
    if (connections_->admit(session))
      session->start();
    else
      session->refuse();
    accept();
  }

  void stop() {
    net::post(acceptor_.get_executor(), [self = shared_from_this()] {
      beast::error_code ignored;
      self->acceptor_.close(ignored);
      self->retry_.cancel();
    });
    connections_->close_all();
  }

  net::io_context& io_;
  tcp::acceptor acceptor_;
  net::steady_timer retry_;
  std::shared_ptr<Connections> connections_;
  std::atomic<unsigned short> port_{0};
};

Result<std::unique_ptr<Server>> Server::create(const config::Config& config,
                                               std::shared_ptr<const policy::Policy> policy,
                                               ServerStores stores, const dispatch::RetryRules& retry,
                                               std::function<Instant()> clock) {
  if (auto endpoint = endpoint_of(config.listen); !endpoint) return endpoint.error();
  auto credentials = Credentials::load(config);
  if (!credentials) return credentials.error();
  auto api = std::make_unique<Api>(std::move(*credentials), std::move(stores.requests),
                                   std::move(stores.checkpoints), std::move(policy), std::move(clock));
  api->set_retry_rules(retry);
  std::vector<std::string> sources;
  for (const auto& [name, source] : config.sources) sources.push_back(name);
  api->set_sources(std::move(sources));
  return std::make_unique<Server>(std::move(api), config.listen, limits_of(config));
}

Server::Server(std::unique_ptr<Api> api, std::string listen, ServerLimits limits)
    : api_(std::move(api)), listen_(std::move(listen)), limits_(limits) {}

Server::~Server() { stop(); }

Status Server::start(net::io_context& io) {
  const auto endpoint = endpoint_of(listen_);
  if (!endpoint) return endpoint.error();
  auto connections = std::make_shared<Connections>();
  connections->api = api_;
  connections->limits = limits_;
  auto listener = std::make_shared<Listener>(io, std::move(connections));
  if (auto opened = listener->open(*endpoint); !opened) return opened;
  listener_ = listener;
  listener_->accept();
  return Ok{};
}

void Server::stop() {
  if (listener_) listener_->stop();
  api_->stop();
}

unsigned short Server::port() const { return listener_ ? listener_->port_.load() : 0; }

}  // namespace cobrador::http
