// Implements the reading thread: a CamtReader fed on that thread, its entries numbered and
// gathered into batches, and a short queue between the two threads, so that the reader runs at
// most a few batches ahead (memory stays bounded whatever the file's size).
#include "bank/camt_reading_thread.hpp"

#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>

#include "bank/camt_stream.hpp"
#include "bank/entry_identity.hpp"

namespace cobrador::bank {

namespace {

constexpr std::size_t kBatchEntries = 1024;  // entries handed out at a time
constexpr std::size_t kBatchesAhead = 4;     // batches the reader may have ready

}  // namespace

class CamtReadingThread::Impl {
 public:
  explicit Impl(ReadMore read_more) : read_more_(std::move(read_more)), thread_([this] { run(); }) {}

  ~Impl() {
    {
      std::lock_guard lock(mutex_);
      stopped_ = true;
    }
    changed_.notify_all();
    thread_.join();
  }

  std::vector<BankEntry> next() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return !ready_.empty() || done_; });
    if (ready_.empty()) return {};
    auto batch = std::move(ready_.front());
    ready_.pop_front();
    lock.unlock();
    changed_.notify_all();
    return batch;
  }

  Result<Format> finish() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return done_; });
    if (failure_) std::rethrow_exception(failure_);
    return *result_;
  }

  bool syntax_error() const { return syntax_error_; }

 private:
  // On the reading thread.
  void run() {
    try {
      CamtReader reader([this](std::vector<BankEntry>& parts) { return take(parts); });
      for (auto piece = read_more_(); !piece.empty() && !stopping(); piece = read_more_()) reader.feed(piece);
      auto result = reader.finish();
      if (!batch_.empty()) hand_out();
      std::lock_guard lock(mutex_);
      result_ = std::move(result);
      syntax_error_ = reader.syntax_error();
      done_ = true;
    } catch (...) {
      std::lock_guard lock(mutex_);
      failure_ = std::current_exception();
      done_ = true;
    }
    changed_.notify_all();
  }

  Status take(std::vector<BankEntry>& parts) {
    for (auto& part : parts) {
      numbering_.number(part);
      batch_.push_back(std::move(part));
    }
    if (batch_.size() >= kBatchEntries) hand_out();
    if (stopping()) return make_error("the import stopped reading");
    return Ok{};
  }

  // Waits while the consumer has enough batches, unless it stopped.
  void hand_out() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return ready_.size() < kBatchesAhead || stopped_; });
    if (stopped_) return;
    ready_.push_back(std::move(batch_));
    batch_ = {};
    batch_.reserve(kBatchEntries);
    lock.unlock();
    changed_.notify_all();
  }

  bool stopping() {
    std::lock_guard lock(mutex_);
    return stopped_;
  }

  ReadMore read_more_;
  IdentityNumbering numbering_;
  std::vector<BankEntry> batch_;  // being filled by the reading thread

  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::vector<BankEntry>> ready_;
  bool stopped_ = false;  // the consumer wants no more
  bool done_ = false;     // the reading thread is over: result_ or failure_ is set
  std::optional<Result<Format>> result_;
  bool syntax_error_ = false;
  std::exception_ptr failure_;

  std::thread thread_;  // last: started once everything above exists
};

CamtReadingThread::CamtReadingThread(ReadMore read_more) : impl_(std::make_unique<Impl>(std::move(read_more))) {}

CamtReadingThread::~CamtReadingThread() = default;

std::vector<BankEntry> CamtReadingThread::next() { return impl_->next(); }

Result<Format> CamtReadingThread::finish() { return impl_->finish(); }

bool CamtReadingThread::syntax_error() const { return impl_->syntax_error(); }

}  // namespace cobrador::bank
