// Implements bench/loopback_server.hpp on plain Boost.Asio: one session per connection,
// reading a head up to the blank line, then Content-Length bytes of body, then answering.
#include "bench/loopback_server.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>

#include <algorithm>
#include <cctype>
#include <thread>

namespace cobrador::bench {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

constexpr std::string_view kAnswer =
    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}";

std::size_t content_length(std::string_view head) {
  std::string lower(head);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  const auto at = lower.find("\r\ncontent-length:");
  if (at == std::string::npos) return 0;
  return std::stoul(lower.substr(at + 17));
}

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, std::atomic<std::uint64_t>& served)
      : socket_(std::move(socket)), served_(served) {}

  void read_head() {
    asio::async_read_until(socket_, asio::dynamic_buffer(buffer_), "\r\n\r\n",
                           [self = shared_from_this()](boost::system::error_code ec, std::size_t head) {
                             if (!ec) self->read_body(head);
                           });
  }

 private:
  void read_body(std::size_t head) {
    const std::size_t whole = head + content_length(std::string_view(buffer_).substr(0, head));
    const std::size_t missing = whole > buffer_.size() ? whole - buffer_.size() : 0;
    asio::async_read(socket_, asio::dynamic_buffer(buffer_), asio::transfer_exactly(missing),
                     [self = shared_from_this(), whole](boost::system::error_code ec, std::size_t) {
                       if (!ec) self->answer(whole);
                     });
  }

  void answer(std::size_t consumed) {
    buffer_.erase(0, consumed);
    ++served_;
    asio::async_write(socket_, asio::buffer(kAnswer),
                      [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                        if (!ec) self->read_head();
                      });
  }

  tcp::socket socket_;
  std::atomic<std::uint64_t>& served_;
  std::string buffer_;
};

}  // namespace

struct LoopbackServer::Impl {
  Impl() : acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {}

  void accept() {
    acceptor.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
      if (ec) return;
      socket.set_option(tcp::no_delay(true));
      std::make_shared<Session>(std::move(socket), served)->read_head();
      accept();
    });
  }

  asio::io_context io;
  tcp::acceptor acceptor;
  std::atomic<std::uint64_t> served{0};
  std::thread thread;
};

LoopbackServer::LoopbackServer() : impl_(std::make_unique<Impl>()) {
  impl_->accept();
  impl_->thread = std::thread([impl = impl_.get()] { impl->io.run(); });
}

LoopbackServer::~LoopbackServer() {
  impl_->io.stop();
  impl_->thread.join();
}

std::string LoopbackServer::url() const {
  return "http://127.0.0.1:" + std::to_string(impl_->acceptor.local_endpoint().port());
}

std::uint64_t LoopbackServer::requests() const { return impl_->served.load(); }

}  // namespace cobrador::bench
