// One HTTP connection (Boost.Beast): read a request within its deadline, hand it to the Api,
// write the answer, wait for the next one within the idle deadline. Internal to lib/http:
// only session.cpp and server.cpp include this header, so Beast stays out of the rest.
#pragma once

#include <array>
#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "http/api.hpp"
#include "http/server.hpp"

namespace cobrador::http {

namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = net::ip::tcp;

class Session;

// What the listener and every session share: the Api, the limits and the open sessions (for
// the connection cap and for stop()).
struct Connections {
  std::shared_ptr<Api> api;
  ServerLimits limits;
  std::mutex mutex;
  std::unordered_map<const Session*, std::weak_ptr<Session>> live;
  bool stopped = false;

  // Registers a session unless the cap is reached or the server stopped.
  bool admit(const std::shared_ptr<Session>& session);
  void forget(const Session* session);
  void close_all();
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, std::shared_ptr<Connections> connections);
  ~Session();

  void start();   // serve requests until the client or a deadline ends the connection
  void refuse();  // 503: too many connections
  void close();   // from any thread

 private:
  using Parser = beast::http::request_parser<beast::http::string_body>;
  using Answer = beast::http::response<beast::http::string_body>;

  void wait_for_request(std::chrono::milliseconds patience);
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
