// Reads a camt document on a thread of its own (bank/camt_stream) and hands its entries out in
// batches, while the caller works on the batch before: in an import the caller is the store's
// thread, and reading is a third of the import's CPU time, which on two cores then overlaps the
// writes instead of adding to them (docs/benchmarks.md, bank import). Each entry, identities
// numbered, goes through `prepare` on the reading thread, so that a caller can have work done
// there that needs no store (the import: the invoices the entry names, its likely rows).
#pragma once

#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "bank/bank_entry.hpp"
#include "util/result.hpp"

namespace cobrador::bank {

// The reading itself, on the calling thread: `read_more` gives the next bytes ("" at the end);
// `take` gets the entries of each Ntry, numbered (number_repeated_identities), and ends the
// reading by returning an error. The document's format or its first error, and whether that
// error is a syntax error. (camt_reading_thread.cpp)
struct CamtReading {
  Result<Format> format = make_error("not read");
  bool syntax_error = false;
};
CamtReading read_camt_stream(const std::function<std::string_view()>& read_more,
                             const std::function<Status(std::vector<BankEntry>&)>& take);

template <class Item>
class CamtReadingThread {
 public:
  using ReadMore = std::function<std::string_view()>;  // called on the reading thread only
  using Prepare = std::function<Item(BankEntry&&)>;    // likewise

  // Starts reading at once.
  CamtReadingThread(ReadMore read_more, Prepare prepare)
      : read_more_(std::move(read_more)), prepare_(std::move(prepare)), thread_([this] { run(); }) {}

  // Stops the reading where it is (an importer that failed wants no more) and waits for it.
  ~CamtReadingThread() {
    {
      std::lock_guard lock(mutex_);
      stopped_ = true;
    }
    changed_.notify_all();
    thread_.join();
  }
  CamtReadingThread(const CamtReadingThread&) = delete;
  CamtReadingThread& operator=(const CamtReadingThread&) = delete;

  // The next items in document order; empty once the document is read or reading stopped on
  // an error. Waits for the reading thread when it is behind.
  std::vector<Item> next() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return !ready_.empty() || done_; });
    if (ready_.empty()) return {};
    auto batch = std::move(ready_.front());
    ready_.pop_front();
    lock.unlock();
    changed_.notify_all();
    return batch;
  }

  // After next() returned empty: the message's format, or the first error (CamtReader::finish).
  Result<Format> finish() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return done_; });
    if (failure_) std::rethrow_exception(failure_);
    return reading_.format;
  }
  // After finish() failed: true when the document was not well-formed XML.
  bool syntax_error() const { return reading_.syntax_error; }

 private:
  static constexpr std::size_t kBatchItems = 1024;  // items handed out at a time
  static constexpr std::size_t kBatchesAhead = 4;   // batches the reader may have ready

  // On the reading thread.
  void run() {
    try {
      auto reading = read_camt_stream(
          [this]() -> std::string_view { return stopping() ? std::string_view() : read_more_(); },
          [this](std::vector<BankEntry>& parts) -> Status {
            for (auto& part : parts) batch_.push_back(prepare_(std::move(part)));
            if (batch_.size() >= kBatchItems) hand_out();
            if (stopping()) return make_error("the import stopped reading");
            return Ok{};
          });
      if (!batch_.empty()) hand_out();
      std::lock_guard lock(mutex_);
      reading_ = std::move(reading);
      done_ = true;
    } catch (...) {
      std::lock_guard lock(mutex_);
      failure_ = std::current_exception();
      done_ = true;
    }
    changed_.notify_all();
  }

  // Waits while the consumer has enough batches, unless it stopped.
  void hand_out() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return ready_.size() < kBatchesAhead || stopped_; });
    if (stopped_) return;
    ready_.push_back(std::exchange(batch_, {}));
    batch_.reserve(kBatchItems);
    lock.unlock();
    changed_.notify_all();
  }

  bool stopping() {
    std::lock_guard lock(mutex_);
    return stopped_;
  }

  ReadMore read_more_;
  Prepare prepare_;
  std::vector<Item> batch_;  // being filled by the reading thread

  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::vector<Item>> ready_;
  bool stopped_ = false;  // the consumer wants no more
  bool done_ = false;     // the reading thread is over: reading_ or failure_ is set
  CamtReading reading_;
  std::exception_ptr failure_;

  std::thread thread_;  // last: started once everything above exists
};

}  // namespace cobrador::bank
