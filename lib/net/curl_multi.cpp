// Implements net/curl_multi.hpp: libcurl's socket and timer callbacks mapped onto asio
// descriptor waits, one steady_timer, and posted calls for the timeouts of 0 ms.
#include "net/curl_multi.hpp"

#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <new>
#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

namespace cobrador::net {

namespace asio = boost::asio;

namespace {

// One socket libcurl asked us to watch. The descriptor does not own the fd: libcurl opened it
// and will close it, so the destructor hands it back with release() instead of closing it.
struct SocketWatch {
  explicit SocketWatch(asio::io_context& io) : descriptor(io) {}
  ~SocketWatch() { stop(); }
  SocketWatch(const SocketWatch&) = delete;
  SocketWatch& operator=(const SocketWatch&) = delete;

  // Deregisters from epoll while the fd is still open: libcurl closes it right after telling
  // us to stop, and a later socket could reuse the number.
  void stop() {
    removed = true;
    if (descriptor.is_open()) (void)descriptor.release();
  }

  asio::posix::stream_descriptor descriptor;
  int wanted = 0;  // CURL_POLL_IN / CURL_POLL_OUT / CURL_POLL_INOUT
  bool reading = false;
  bool writing = false;
  bool removed = false;
};

// The handle is declared last so that it is cleaned up first, before the buffers that the
// callback's captures keep alive.
struct Transfer {
  CurlMulti::Done done;
  EasyHandle easy;
};

}  // namespace

struct CurlMulti::Impl : std::enable_shared_from_this<Impl> {
  explicit Impl(asio::io_context& context) : io(context), timer(context) {}
  ~Impl();

  static int socket_callback(CURL*, curl_socket_t fd, int what, void* self, void*) {
    return static_cast<Impl*>(self)->on_socket(fd, what);
  }
  static int timer_callback(CURLM*, long timeout_ms, void* self) {
    static_cast<Impl*>(self)->on_timer_change(timeout_ms);
    return 0;
  }

  void init();
  void perform(EasyHandle easy, Done done);
  int on_socket(curl_socket_t fd, int what);
  void on_timer_change(long timeout_ms);
  void arm_timer(std::chrono::steady_clock::time_point due);
  void on_timer_fired();
  void arm(const std::shared_ptr<SocketWatch>& watch, curl_socket_t fd);
  void wait(const std::shared_ptr<SocketWatch>& watch, curl_socket_t fd, bool for_read);
  void act(curl_socket_t fd, int flags);
  void finish_done_transfers();

  asio::io_context& io;
  asio::steady_timer timer;
  bool timer_armed = false;
  // When libcurl wants to be called with CURL_SOCKET_TIMEOUT; none: it wants no call.
  std::optional<std::chrono::steady_clock::time_point> deadline;
  bool timeout_posted = false;  // a 0 ms timeout's call is already posted
  MultiHandle multi;
  std::unordered_map<curl_socket_t, std::shared_ptr<SocketWatch>> sockets;
  std::unordered_map<CURL*, Transfer> transfers;
};

void CurlMulti::Impl::init() {
  ensure_curl_initialised();
  multi.reset(curl_multi_init());
  if (!multi) throw std::bad_alloc();
  curl_multi_setopt(multi.get(), CURLMOPT_SOCKETFUNCTION, socket_callback);
  curl_multi_setopt(multi.get(), CURLMOPT_SOCKETDATA, this);
  curl_multi_setopt(multi.get(), CURLMOPT_TIMERFUNCTION, timer_callback);
  curl_multi_setopt(multi.get(), CURLMOPT_TIMERDATA, this);
}

CurlMulti::Impl::~Impl() {
  // Order matters: handles leave the multi while the socket map still exists (libcurl calls
  // back to remove their sockets), then the multi goes, then whatever sockets remain.
  for (auto& [easy, transfer] : transfers) curl_multi_remove_handle(multi.get(), easy);
  transfers.clear();
  multi.reset();
  for (auto& [fd, watch] : sockets) watch->stop();
  sockets.clear();
}

void CurlMulti::Impl::perform(EasyHandle easy, Done done) {
  CURL* raw = easy.get();
  curl_easy_setopt(raw, CURLOPT_NOSIGNAL, 1L);  // no SIGALRM from DNS timeouts in a daemon
  transfers.emplace(raw, Transfer{std::move(done), std::move(easy)});
  if (curl_multi_add_handle(multi.get(), raw) != CURLM_OK) {
    auto node = transfers.extract(raw);
    asio::post(io, [transfer = std::move(node.mapped())]() mutable {
      transfer.done(CURLE_FAILED_INIT, std::move(transfer.easy));
    });
  }
}

int CurlMulti::Impl::on_socket(curl_socket_t fd, int what) {
  if (what == CURL_POLL_REMOVE) {
    if (auto it = sockets.find(fd); it != sockets.end()) {
      it->second->stop();
      sockets.erase(it);
    }
    return 0;
  }
  auto& watch = sockets[fd];
  if (!watch) {
    auto fresh = std::make_shared<SocketWatch>(io);
    boost::system::error_code ec;
    fresh->descriptor.assign(fd, ec);
    if (ec) {
      sockets.erase(fd);
      return -1;  // libcurl fails the transfer instead of waiting forever
    }
    watch = std::move(fresh);
  }
  watch->wanted = what;
  arm(watch, fd);
  return 0;
}

void CurlMulti::Impl::arm(const std::shared_ptr<SocketWatch>& watch, curl_socket_t fd) {
  if ((watch->wanted & CURL_POLL_IN) && !watch->reading) wait(watch, fd, true);
  if ((watch->wanted & CURL_POLL_OUT) && !watch->writing) wait(watch, fd, false);
}

void CurlMulti::Impl::wait(const std::shared_ptr<SocketWatch>& watch, curl_socket_t fd, bool for_read) {
  (for_read ? watch->reading : watch->writing) = true;
  const auto type =
      for_read ? asio::posix::stream_descriptor::wait_read : asio::posix::stream_descriptor::wait_write;
  const int direction = for_read ? CURL_POLL_IN : CURL_POLL_OUT;
  watch->descriptor.async_wait(
      type, [weak = weak_from_this(), watch, fd, for_read, direction](const boost::system::error_code& ec) {
        (for_read ? watch->reading : watch->writing) = false;
        auto self = weak.lock();
        // A wait left over from before libcurl changed its mind is not worth waking libcurl for.
        if (ec || !self || watch->removed || !(watch->wanted & direction)) return;
        self->act(fd, for_read ? CURL_CSELECT_IN : CURL_CSELECT_OUT);
        if (!watch->removed) self->arm(watch, fd);
      });
}

void CurlMulti::Impl::on_timer_change(long timeout_ms) {
  // The asio timer is left alone where it can be: every re-arm of the earliest timer is a
  // timerfd_settime system call, and libcurl moves its timeout on every transfer it adds or
  // ends (13% of the dispatch bench's samples went there). A wake-up without a deadline, or
  // before it, costs one check in on_timer_fired.
  if (timeout_ms < 0) {
    // Cancelled, not left to fire: a pending wait keeps io_context::run() from returning.
    deadline.reset();
    if (timer_armed) timer.cancel();
    timer_armed = false;
    return;
  }
  if (timeout_ms == 0) {
    // libcurl forbids calling it back from here; a posted call is the next thing the loop runs.
    deadline.reset();
    if (!timeout_posted) {
      timeout_posted = true;
      asio::post(io, [weak = weak_from_this()] {
        auto self = weak.lock();
        if (!self) return;
        self->timeout_posted = false;
        self->act(CURL_SOCKET_TIMEOUT, 0);
      });
    }
    return;
  }
  const auto due = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  deadline = due;
  if (timer_armed && timer.expiry() <= due) return;  // fires first, then waits for the rest
  arm_timer(due);
}

void CurlMulti::Impl::arm_timer(std::chrono::steady_clock::time_point due) {
  timer_armed = true;
  timer.expires_at(due);
  timer.async_wait([weak = weak_from_this()](const boost::system::error_code& ec) {
    if (auto self = weak.lock(); self && !ec) self->on_timer_fired();
  });
}

void CurlMulti::Impl::on_timer_fired() {
  timer_armed = false;
  if (!deadline) return;
  if (std::chrono::steady_clock::now() < *deadline) return arm_timer(*deadline);
  deadline.reset();
  act(CURL_SOCKET_TIMEOUT, 0);
}

void CurlMulti::Impl::act(curl_socket_t fd, int flags) {
  // Keeps this alive even if a callback below destroys the owning CurlMulti.
  auto keep = shared_from_this();
  int running = 0;
  curl_multi_socket_action(multi.get(), fd, flags, &running);
  finish_done_transfers();
}

void CurlMulti::Impl::finish_done_transfers() {
  int left = 0;
  while (CURLMsg* message = curl_multi_info_read(multi.get(), &left)) {
    if (message->msg != CURLMSG_DONE) continue;
    // The message dies with remove_handle; copy what is needed first.
    CURL* easy = message->easy_handle;
    const CURLcode result = message->data.result;
    curl_multi_remove_handle(multi.get(), easy);
    auto node = transfers.extract(easy);
    if (node.empty()) continue;
    // Posted, so that a callback that throws or starts new transfers cannot disturb this loop.
    asio::post(io, [result, transfer = std::move(node.mapped())]() mutable {
      transfer.done(result, std::move(transfer.easy));
    });
  }
}

CurlMulti::CurlMulti(asio::io_context& io) : impl_(std::make_shared<Impl>(io)) { impl_->init(); }

CurlMulti::~CurlMulti() = default;

void CurlMulti::perform(EasyHandle easy, Done done) { impl_->perform(std::move(easy), std::move(done)); }

std::size_t CurlMulti::in_flight() const { return impl_->transfers.size(); }

void CurlMulti::keep_connections(long connections) {
  curl_multi_setopt(impl_->multi.get(), CURLMOPT_MAXCONNECTS, connections);
}

}  // namespace cobrador::net
