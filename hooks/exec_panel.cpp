// Implements hooks/exec_panel.hpp. One ExecRun per call owns the child: its pipes, a timeout
// timer and a reaping timer. It keeps itself alive through the handlers it has pending.
#include "hooks/exec_panel.hpp"

#include <signal.h>
#include <sys/wait.h>

#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <array>
#include <memory>

#include "hooks/adapter_support.hpp"
#include "hooks/child_process.hpp"
#include "hooks/event_payload.hpp"

namespace cobrador::hooks {

namespace asio = boost::asio;

namespace {

// Enough for any sane reason line; a chatty program's older output is dropped first.
constexpr std::size_t max_output = 64 * 1024;
constexpr std::chrono::milliseconds reap_interval{10};

class ExecRun : public std::enable_shared_from_this<ExecRun> {
 public:
  // If the io_context is torn down mid-run, child_'s destructor kills and reaps the program.
  ExecRun(asio::io_context& io, Child child, PanelCall::Kind kind, std::chrono::milliseconds timeout,
          Done done)
      : deadline_(io),
        reaper_(io),
        out_pipe_(io, child.stdout_read.release()),
        err_pipe_(io, child.stderr_read.release()),
        child_(std::move(child)),
        kind_(kind),
        timeout_(timeout),
        done_(std::move(done)) {}

  void start() {
    deadline_.expires_after(timeout_);
    deadline_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
      if (!ec) self->kill_on_timeout();
    });
    read(out_pipe_, out_buffer_, out_);
    read(err_pipe_, err_buffer_, err_);
  }

 private:
  using Buffer = std::array<char, 4096>;

  void read(asio::posix::stream_descriptor& pipe, Buffer& buffer, std::string& sink) {
    pipe.async_read_some(asio::buffer(buffer), [self = shared_from_this(), &pipe, &buffer, &sink](
                                                   const boost::system::error_code& ec, std::size_t n) {
      if (ec) return self->pipe_closed();
      sink.append(buffer.data(), n);
      if (sink.size() > max_output) sink.erase(0, sink.size() - max_output);
      self->read(pipe, buffer, sink);
    });
  }

  void pipe_closed() {
    if (--open_pipes_ == 0) reap();
  }

  void kill_on_timeout() {
    if (reaped_) return;
    timed_out_ = true;
    // The whole group: a shell script's own children would otherwise keep the pipes open.
    ::kill(-child_.pid(), SIGKILL);
    // Something that left the group may still hold the pipes; stop waiting for them.
    boost::system::error_code ignored;
    out_pipe_.close(ignored);
    err_pipe_.close(ignored);
  }

  void reap() {
    int status = 0;
    const pid_t r = ::waitpid(child_.pid(), &status, WNOHANG);
    if (r == 0) {
      // Pipes closed but the program still runs; look again shortly, the deadline still holds.
      reaper_.expires_after(reap_interval);
      reaper_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
        if (!ec) self->reap();
      });
      return;
    }
    reaped_ = true;
    (void)child_.release();
    deadline_.cancel();
    if (r < 0) {
      return done_(make_outcome(Outcome::Kind::failed,
                                "the program's exit status was lost (is SIGCHLD ignored by the daemon?)"));
    }
    auto outcome = guarded([&] { return interpret_exit(kind_, status, timed_out_, timeout_, out_, err_); });
    done_(std::move(outcome));
  }

  asio::steady_timer deadline_;
  asio::steady_timer reaper_;
  asio::posix::stream_descriptor out_pipe_;
  asio::posix::stream_descriptor err_pipe_;
  Buffer out_buffer_{};
  Buffer err_buffer_{};
  std::string out_;
  std::string err_;
  Child child_;
  PanelCall::Kind kind_;
  std::chrono::milliseconds timeout_;
  Done done_;
  int open_pipes_ = 2;
  bool timed_out_ = false;
  bool reaped_ = false;
};

std::string with_reason(std::string text, std::string_view err) {
  const auto reason = last_line(err);
  return reason.empty() ? text : text + ": " + reason;
}

}  // namespace

std::vector<std::string> exec_environment() {
  return {"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LANG=C.UTF-8"};
}

std::string last_line(std::string_view text) {
  static constexpr std::string_view blanks = " \t\r\n";
  const auto end = text.find_last_not_of(blanks);
  if (end == std::string_view::npos) return {};
  text = text.substr(0, end + 1);
  const auto newline = text.find_last_of('\n');
  auto line = newline == std::string_view::npos ? text : text.substr(newline + 1);
  line.remove_prefix(std::min(line.find_first_not_of(blanks), line.size()));
  return std::string(line);
}

Outcome interpret_exit(PanelCall::Kind kind, int wait_status, bool timed_out,
                       std::chrono::milliseconds timeout, std::string_view out, std::string_view err) {
  if (timed_out) {
    return make_outcome(Outcome::Kind::retry, "timed out after " + std::to_string(timeout.count()) +
                                                  " ms; the program's process group was killed");
  }
  if (WIFSIGNALED(wait_status)) {
    return make_outcome(Outcome::Kind::failed,
                        with_reason("killed by signal " + std::to_string(WTERMSIG(wait_status)), err));
  }
  const int code = WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : -1;
  if (code == 0) {
    const auto location = kind == PanelCall::Kind::backup ? last_line(out) : std::string();
    return make_outcome(Outcome::Kind::done, "exit 0", location);
  }
  if (code == exit_tempfail)
    return make_outcome(Outcome::Kind::retry, with_reason("exit 75 (temporary failure)", err));
  return make_outcome(Outcome::Kind::failed, with_reason("exit " + std::to_string(code), err));
}

ExecPanel::ExecPanel(PanelConfig config, asio::io_context& io) : config_(std::move(config)), io_(io) {}

void ExecPanel::execute(const PanelCall& call, std::function<void(Outcome)> done) {
  start_guarded(io_, done, [&] {
    const std::vector<std::string> argv{config_.command, std::string(to_string(call.kind)), call.account,
                                        call.service_id, call.idempotency_key};
    auto child = spawn_child(argv, event_json(call) + "\n", exec_environment());
    if (!child) return post_outcome(io_, done, make_outcome(Outcome::Kind::failed, child.error().message));
    std::make_shared<ExecRun>(io_, std::move(*child), call.kind, config_.timeout, done)->start();
  });
}

}  // namespace cobrador::hooks
