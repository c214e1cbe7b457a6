// Implements hooks/backup_poller.hpp with one steady_timer owned by a self-keeping poll object.
#include "hooks/backup_poller.hpp"

#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <memory>

namespace cobrador::hooks {

namespace {

class Poll : public std::enable_shared_from_this<Poll> {
 public:
  Poll(boost::asio::io_context& io, std::chrono::milliseconds interval, long max_polls, BackupCheck check,
       Done done, std::string what)
      : timer_(io),
        interval_(interval),
        max_polls_(max_polls),
        check_(std::move(check)),
        done_(std::move(done)),
        what_(std::move(what)) {}

  void schedule() {
    timer_.expires_after(interval_);
    timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
      if (ec) return;
      self->check();
    });
  }

 private:
  void check() {
    ++polls_;
    check_(
        [self = shared_from_this()](std::optional<Outcome> outcome) { self->on_result(std::move(outcome)); });
  }

  void on_result(std::optional<Outcome> outcome) {
    if (outcome) return done_(std::move(*outcome));
    if (polls_ >= max_polls_) {
      return done_(make_outcome(Outcome::Kind::retry,
                                what_ + " still running after " + std::to_string(polls_) + " checks"));
    }
    schedule();
  }

  boost::asio::steady_timer timer_;
  std::chrono::milliseconds interval_;
  long max_polls_;
  long polls_ = 0;
  BackupCheck check_;
  Done done_;
  std::string what_;
};

}  // namespace

void poll_backup(boost::asio::io_context& io, std::chrono::milliseconds interval,
                 std::chrono::milliseconds limit, BackupCheck check, Done done, std::string what) {
  interval = std::max(interval, std::chrono::milliseconds(1));
  const long max_polls = std::max<long>(1, static_cast<long>(limit / interval));
  std::make_shared<Poll>(io, interval, max_polls, std::move(check), std::move(done), std::move(what))
      ->schedule();
}

}  // namespace cobrador::hooks
