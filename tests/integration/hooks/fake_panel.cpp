// Implements tests/support/fake_panel.hpp with Boost.Beast: one session per connection,
// each request recorded, answered by the test's handler, after an optional delay.
#include "support/fake_panel.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <cctype>
#include <mutex>
#include <thread>

#include "hooks/form_encoding.hpp"

namespace cobrador::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

FakeRequest record(const http::request<http::string_body>& request) {
  FakeRequest out;
  out.method = std::string(request.method_string());
  out.target = std::string(request.target());
  const auto question = out.target.find('?');
  out.path = out.target.substr(0, question);
  if (question != std::string::npos) out.query = hooks::decode_form(out.target.substr(question + 1));
  for (const auto& field : request)
    out.headers[lower(std::string(field.name_string()))] = std::string(field.value());
  out.body = request.body();
  return out;
}

}  // namespace

std::string FakeRequest::header(const std::string& lower_case_name) const {
  const auto it = headers.find(lower_case_name);
  return it == headers.end() ? std::string() : it->second;
}

std::string FakeRequest::query_value(const std::string& name) const { return hooks::form_value(query, name); }

struct FakePanel::Impl {
  explicit Impl(Handler h)
      : handler(std::move(h)), acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {}

  FakeResponse answer(const FakeRequest& request) {
    std::lock_guard lock(mutex);
    requests.push_back(request);
    return handler(request);
  }

  void accept();

  Handler handler;
  asio::io_context io;
  tcp::acceptor acceptor;
  mutable std::mutex mutex;
  std::vector<FakeRequest> requests;
  std::thread thread;
};

namespace {

class Session : public std::enable_shared_from_this<Session> {
 public:
  using Answer = std::function<FakeResponse(const FakeRequest&)>;
  Session(tcp::socket socket, Answer answer)
      : stream_(std::move(socket)), timer_(stream_.get_executor()), answer_(std::move(answer)) {}

  void read() {
    request_ = {};
    http::async_read(stream_, buffer_, request_,
                     [self = shared_from_this()](beast::error_code ec, std::size_t) {
                       if (ec) return;  // closed by the client, or the server is going away
                       self->respond();
                     });
  }

 private:
  void respond() {
    const auto canned = answer_(record(request_));
    response_ = {};
    response_.version(request_.version());
    response_.keep_alive(request_.keep_alive());
    response_.result(static_cast<unsigned>(canned.status));
    for (const auto& [name, value] : canned.headers) response_.set(name, value);
    response_.body() = canned.body;
    response_.prepare_payload();
    timer_.expires_after(canned.delay);
    timer_.async_wait([self = shared_from_this()](beast::error_code) { self->write(); });
  }

  void write() {
    http::async_write(stream_, response_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec || !self->response_.keep_alive()) return;
      self->read();
    });
  }

  beast::tcp_stream stream_;
  asio::steady_timer timer_;
  Answer answer_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> request_;
  http::response<http::string_body> response_;
};

}  // namespace

void FakePanel::Impl::accept() {
  acceptor.async_accept([this](beast::error_code ec, tcp::socket socket) {
    if (ec) return;
    auto answer = [this](const FakeRequest& request) { return this->answer(request); };
    std::make_shared<Session>(std::move(socket), answer)->read();
    accept();
  });
}

FakePanel::FakePanel(Handler handler) : impl_(std::make_unique<Impl>(std::move(handler))) {
  impl_->accept();
  impl_->thread = std::thread([impl = impl_.get()] { impl->io.run(); });
}

FakePanel::~FakePanel() {
  impl_->io.stop();
  impl_->thread.join();
}

std::string FakePanel::url() const { return "http://127.0.0.1:" + std::to_string(port()); }

unsigned short FakePanel::port() const { return impl_->acceptor.local_endpoint().port(); }

std::vector<FakeRequest> FakePanel::requests() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->requests;
}

}  // namespace cobrador::testing
