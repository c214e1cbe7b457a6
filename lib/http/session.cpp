// Implements one connection as do_x / on_x pairs (the Beast examples' shape): every step has
// a deadline, the parser has the body and header limits, and an answer that ends the
// connection early (413, 431, 400) is followed by a lingering close, so the client reads the
// answer instead of a reset.
#include "http/session.hpp"

#include <algorithm>
#include <vector>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>

#include "http/beast_request.hpp"
#include "http/json_error.hpp"

namespace cobrador::http {

namespace bhttp = beast::http;

namespace {

// How long a refused request's remaining bytes are read and dropped before the close.
constexpr auto kLinger = std::chrono::milliseconds{1000};

}  // namespace

bool Connections::admit(const std::shared_ptr<Session>& session) {
  std::shared_ptr<Session> giving_way;
  {
    std::lock_guard lock(mutex);
    if (stopped) return false;
    const auto peer_count = per_peer_.find(session->peer());
    const auto need = slot_needed(live_.size(), peer_count == per_peer_.end() ? 0 : peer_count->second,
                                  {static_cast<std::size_t>(limits.max_connections),
                                   static_cast<std::size_t>(limits.max_connections_per_peer)});
    if (need != SlotNeed::none) {
      auto room = make_room(need, session->peer());
      if (!room) return false;
      giving_way = std::move(*room);  // null when it was on its way out already
    }
    live_.emplace(session.get(), Open{session, session->peer(), std::nullopt});
    ++per_peer_[session->peer()];
  }
  // Outside the lock: close() only posts to that session's strand.
  if (giving_way) giving_way->close();
  return true;
}

std::optional<std::shared_ptr<Session>> Connections::make_room(SlotNeed need, const std::string& peer) {
  std::vector<IdleConnection> idle;
  for (const auto& [key, open] : live_) {
    if (!open.idle_since) continue;
    if (need == SlotNeed::from_peer && open.peer != peer) continue;
    idle.push_back({key, *open.idle_since});
  }
  const auto chosen = longest_idle(idle);
  if (!chosen) return std::nullopt;
  const auto open = live_.find(static_cast<const Session*>(*chosen));
  auto session = open->second.session.lock();
  unregister(open);  // its slot is free now, whether or not it is still alive
  return session;
}

void Connections::unregister(std::unordered_map<const Session*, Open>::iterator open) {
  const auto count = per_peer_.find(open->second.peer);
  if (count != per_peer_.end() && --count->second == 0) per_peer_.erase(count);
  live_.erase(open);
}

void Connections::waiting(const Session* session) {
  std::lock_guard lock(mutex);
  if (const auto open = live_.find(session); open != live_.end()) {
    open->second.idle_since = std::chrono::steady_clock::now();
  }
}

bool Connections::working(const Session* session) {
  std::lock_guard lock(mutex);
  const auto open = live_.find(session);
  if (open == live_.end()) return false;  // it gave way to a new connection
  open->second.idle_since.reset();
  return true;
}

void Connections::forget(const Session* session) {
  std::lock_guard lock(mutex);
  if (const auto open = live_.find(session); open != live_.end()) unregister(open);
}

void Connections::close_all() {
  std::vector<std::shared_ptr<Session>> sessions;
  {
    std::lock_guard lock(mutex);
    stopped = true;
    for (const auto& [key, open] : live_) {
      if (auto session = open.session.lock()) sessions.push_back(std::move(session));
    }
  }
  for (const auto& session : sessions) session->close();
}

Session::Session(tcp::socket socket, std::shared_ptr<Connections> connections)
    : stream_(std::move(socket)), connections_(std::move(connections)) {
  beast::error_code ec;
  const auto remote = stream_.socket().remote_endpoint(ec);
  // A peer that is gone already is refused or closed at once; "" only groups such peers.
  if (!ec) peer_ = remote.address().to_string();
}

Session::~Session() { connections_->forget(this); }

void Session::start() {
  net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
    self->wait_for_request(self->within_lifetime(self->connections_->limits.read_timeout));
  });
}

void Session::refuse() {
  net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
    self->keep_alive_ = false;
    self->write(
        error_response(503, "too_many_connections", "the server has too many open connections; retry later"),
        true);
  });
}

void Session::close() {
  net::post(stream_.get_executor(), [self = shared_from_this()] { self->shut(); });
}

void Session::shut() {
  beast::error_code ignored;
  stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
  stream_.close();
}

// The first bytes of a request are awaited with `patience` (the idle timeout between
// keep-alive requests); from then on the whole request must arrive within the read timeout.
// While it waits, the connection may give way to a new one (Connections::admit).
void Session::wait_for_request(std::chrono::milliseconds patience) {
  if (buffer_.size() > 0) return read_header();  // the client sent the next request already
  connections_->waiting(this);
  stream_.expires_after(patience);
  stream_.async_read_some(
      buffer_.prepare(4096),
      [self = shared_from_this()](beast::error_code ec, std::size_t n) { self->on_first_bytes(ec, n); });
}

void Session::on_first_bytes(beast::error_code ec, std::size_t bytes) {
  if (ec) return shut();  // the client left, idled past the deadline, or gave way
  // Gave way while these bytes were on their way: the client sees the connection close
  // before any answer, the race every keep-alive client must retry (RFC 9112 §9.3.1).
  if (!connections_->working(this)) return shut();
  buffer_.commit(bytes);
  read_header();
}

std::chrono::milliseconds Session::within_lifetime(std::chrono::milliseconds patience) const {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      opened_at_ + connections_->limits.max_connection_age - std::chrono::steady_clock::now());
  return std::max(std::chrono::milliseconds{0}, std::min(patience, left));
}

bool Session::past_lifetime() const {
  return std::chrono::steady_clock::now() - opened_at_ >= connections_->limits.max_connection_age;
}

void Session::read_header() {
  parser_.emplace();
  parser_->body_limit(connections_->limits.body_limit);
  parser_->header_limit(static_cast<std::uint32_t>(connections_->limits.header_limit));
  stream_.expires_after(connections_->limits.read_timeout);
  bhttp::async_read_header(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_header(ec); });
}

void Session::on_header(beast::error_code ec) {
  if (ec) return on_read_error(ec);
  const auto& head = parser_->get();
  if (parser_->is_done() || !beast::iequals(head[bhttp::field::expect], "100-continue")) return read_body();
  // The client waits for a go-ahead before it sends the body (curl does, for big bodies).
  interim_ = std::make_shared<bhttp::response<bhttp::empty_body>>(bhttp::status::continue_, head.version());
  bhttp::async_write(stream_, *interim_,
                     [self = shared_from_this()](beast::error_code write_ec, std::size_t) {
                       if (write_ec) return self->shut();
                       self->read_body();
                     });
}

void Session::read_body() {
  if (parser_->is_done()) return serve();
  bhttp::async_read(stream_, buffer_, *parser_,
                    [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_body(ec); });
}

void Session::on_body(beast::error_code ec) {
  if (ec) return on_read_error(ec);
  serve();
}

void Session::on_read_error(beast::error_code ec) {
  if (ec == bhttp::error::body_limit) {
    return fail(413, "body_too_large", "the body is larger than the 1 MiB limit");
  }
  if (ec == bhttp::error::header_limit) {
    return fail(431, "headers_too_large", "the request headers are larger than the 16 KiB limit");
  }
  static const auto& parse_errors = beast::error_code(bhttp::error::bad_method).category();
  if (ec.category() == parse_errors && ec != bhttp::error::end_of_stream &&
      ec != bhttp::error::partial_message) {
    return fail(400, "bad_request", "the request is not valid HTTP/1.1");
  }
  shut();  // the client left, was too slow (the read deadline), or the server is stopping
}

void Session::serve() {
  auto message = parser_->release();
  version_ = message.version();
  keep_alive_ = message.keep_alive();
  auto respond = [self = shared_from_this()](Response response) {
    net::post(self->stream_.get_executor(),
              [self, response = std::move(response)]() mutable { self->answer(std::move(response)); });
  };
  auto request = to_request(std::move(message));
  request.peer = peer_;
  connections_->api->serve(std::move(request), std::move(respond));
}

void Session::answer(Response response) {
  bool stopping = false;
  {
    std::lock_guard lock(connections_->mutex);
    stopping = connections_->stopped;
  }
  // A connection past its lifetime ends with this answer (Connection: close), so that no
  // client keeps one connection, and its slot, for ever.
  if (stopping || past_lifetime()) keep_alive_ = false;
  write(std::move(response), !keep_alive_);
}

void Session::write(Response response, bool close_after) {
  answer_ = std::make_shared<Answer>(static_cast<bhttp::status>(response.status), version_);
  answer_->set(bhttp::field::content_type, response.content_type);
  for (const auto& [name, value] : response.headers) answer_->set(name, value);
  answer_->body() = std::move(response.body);
  answer_->keep_alive(!close_after);
  answer_->prepare_payload();
  stream_.expires_after(connections_->limits.write_timeout);
  bhttp::async_write(stream_, *answer_,
                     [self = shared_from_this(), close_after](beast::error_code ec, std::size_t) {
                       self->on_write(ec, close_after);
                     });
}

void Session::on_write(beast::error_code ec, bool close_after) {
  if (ec) return shut();
  if (close_after) return linger_close();
  wait_for_request(within_lifetime(connections_->limits.idle_timeout));
}

void Session::fail(int status, std::string_view code, std::string_view message) {
  keep_alive_ = false;
  write(error_response(status, code, message), true);
}

// Half-closes, then reads and drops what the client still sends until it closes too or the
// linger deadline passes: closing with unread bytes would reset the connection and the
// client could lose the answer.
void Session::linger_close() {
  beast::error_code ignored;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  stream_.expires_after(kLinger);
  drain();
}

void Session::drain() {
  stream_.async_read_some(net::buffer(scratch_),
                          [self = shared_from_this()](beast::error_code ec, std::size_t) {
                            if (ec) return self->shut();
                            self->drain();
                          });
}

}  // namespace cobrador::http
