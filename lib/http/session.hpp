// One HTTP connection (Boost.Beast): read a request within its deadline, hand it to the Api,
// write the answer, wait for the next one within the idle deadline. Internal to lib/http:
// only session.cpp and server.cpp include this header, so Beast stays out of the rest.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <string>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "http/admission.hpp"
#include "http/api.hpp"
#include "http/server.hpp"

namespace cobrador::http {

namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = net::ip::tcp;

class Session;

// What the listener and every session share: the Api, the limits and the open sessions (for
// the connection limits, for making room when they are reached, and for stop()).
struct Connections {
  std::shared_ptr<Api> api;
  ServerLimits limits;
  std::mutex mutex;
  bool stopped = false;

  // Registers a session (http/admission.hpp): let in, possibly after closing the connection
  // that has waited longest for a request, or refused (503) when none can give way or the
  // server stopped.
  bool admit(const std::shared_ptr<Session>& session);
  // A session waits for a request to begin: from now on it may give way to a new connection.
  void waiting(const Session* session);
  // The request began. False when the session gave way meanwhile: it must close.
  bool working(const Session* session);
  void forget(const Session* session);
  void close_all();

 private:
  struct Open {
    std::weak_ptr<Session> session;
    std::string peer;
    std::optional<std::chrono::steady_clock::time_point> idle_since;  // set while it may give way
  };
  // Picks and unregisters the connection to close for `need` (null if it is being destroyed
  // already); nothing when none may give way.
  std::optional<std::shared_ptr<Session>> make_room(SlotNeed need, const std::string& peer);
  void unregister(std::unordered_map<const Session*, Open>::iterator open);

  std::unordered_map<const Session*, Open> live_;
  std::unordered_map<std::string, std::size_t> per_peer_;
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, std::shared_ptr<Connections> connections);
  ~Session();

  // The remote address (without the port): what the per-peer limit counts.
  const std::string& peer() const { return peer_; }

  void start();   // serve requests until the client or a deadline ends the connection
  void refuse();  // 503: too many connections
  void close();   // from any thread

 private:
  using Parser = beast::http::request_parser<beast::http::string_body>;
  using Answer = beast::http::response<beast::http::string_body>;

  void wait_for_request(std::chrono::milliseconds patience);
  // The patience for the next request, cut short by the connection's remaining lifetime.
  std::chrono::milliseconds within_lifetime(std::chrono::milliseconds patience) const;
  bool past_lifetime() const;
  void on_first_bytes(beast::error_code ec, std::size_t bytes);
  void read_header();
  void on_header(beast::error_code ec);
  void read_body();
  void on_body(beast::error_code ec);
  void on_read_error(beast::error_code ec);
  void serve();
  void answer(Response response);
  void write(Response response, bool close_after);
  void on_write(beast::error_code ec, bool close_after);
  void fail(int status, std::string_view code, std::string_view message);
  void linger_close();
  void drain();
  void shut();

  beast::tcp_stream stream_;
  std::string peer_;
  std::chrono::steady_clock::time_point opened_at_ = std::chrono::steady_clock::now();
  beast::flat_buffer buffer_;
  std::shared_ptr<Connections> connections_;
  std::optional<Parser> parser_;
  std::shared_ptr<Answer> answer_;
  std::shared_ptr<beast::http::response<beast::http::empty_body>> interim_;
  unsigned version_ = 11;
  bool keep_alive_ = true;
  std::array<char, 16 * 1024> scratch_{};
};

}  // namespace cobrador::http
