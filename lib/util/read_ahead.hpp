// Runs a producer of batches on a thread of its own, a few batches ahead of the consumer: an
// import reads and parses its file on one core while the store writes on the other, instead
// of one after the other (docs/benchmarks.md, *The first day at book size*). The producer
// returns the next batch, or nothing at the end; what it throws reaches the consumer's next().
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

namespace cobrador {

template <class Batch>
class ReadAhead {
 public:
  using Produce = std::function<std::optional<Batch>()>;  // called on the reading thread only

  // Starts producing at once, keeping at most `ahead` batches ready.
  explicit ReadAhead(Produce produce, std::size_t ahead = 4)
      : produce_(std::move(produce)), ahead_(ahead), thread_([this] { run(); }) {}

  // Stops the producer after the batch it is making (a consumer that failed wants no more).
  ~ReadAhead() {
    {
      std::lock_guard lock(mutex_);
      stopped_ = true;
    }
    changed_.notify_all();
    thread_.join();
  }
  ReadAhead(const ReadAhead&) = delete;
  ReadAhead& operator=(const ReadAhead&) = delete;

  // The next batch in order, or nothing once the producer is done; waits when it is behind.
  std::optional<Batch> next() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return !ready_.empty() || done_; });
    if (ready_.empty()) {
      if (failure_) std::rethrow_exception(std::exchange(failure_, nullptr));
      return std::nullopt;
    }
    auto batch = std::move(ready_.front());
    ready_.pop_front();
    lock.unlock();
    changed_.notify_all();
    return batch;
  }

 private:
  void run() {
    try {
      for (;;) {
        auto batch = produce_();
        std::unique_lock lock(mutex_);
        if (!batch || stopped_) break;
        changed_.wait(lock, [this] { return ready_.size() < ahead_ || stopped_; });
        if (stopped_) break;
        ready_.push_back(std::move(*batch));
        lock.unlock();
        changed_.notify_all();
      }
    } catch (...) {
      std::lock_guard lock(mutex_);
      failure_ = std::current_exception();
    }
    {
      std::lock_guard lock(mutex_);
      done_ = true;
    }
    changed_.notify_all();
  }

  Produce produce_;
  std::size_t ahead_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Batch> ready_;
  bool stopped_ = false;  // the consumer wants no more
  bool done_ = false;     // the producer is over
  std::exception_ptr failure_;
  std::thread thread_;  // last: started once everything above exists
};

}  // namespace cobrador
