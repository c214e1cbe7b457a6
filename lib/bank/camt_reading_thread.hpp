// Reads a camt document on a thread of its own (bank/camt_stream) and hands its entries out in
// batches, while the caller works on the batch before: in an import the caller is the store's
// thread, and reading is a third of the import's CPU time, which on two cores then overlaps the
// writes instead of adding to them (docs/benchmarks.md, bank import). Each entry, identities
// numbered, goes through `prepare` on the reading thread, so that a caller can have work done
// there that needs no store (the import: the invoices the entry names, its likely rows). The
// reading starts at once; `prepare` only once the caller says it may (start_preparing), so
// that the caller can read what `prepare` needs meanwhile (the import: the open invoices).
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
#include "util/text_encoding.hpp"

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
                             const std::function<Status(std::vector<BankEntry>&)>& take,
                             std::optional<TextEncoding> encoding);

template <class Item>
class CamtReadingThread {
 public:
  using ReadMore = std::function<std::string_view()>;  // called on the reading thread only
  using Prepare = std::function<Item(BankEntry&&)>;    // likewise

  // Starts reading at once; `encoding` as for CamtReader.
  CamtReadingThread(ReadMore read_more, Prepare prepare, std::optional<TextEncoding> encoding = std::nullopt)
      : read_more_(std::move(read_more)),
        prepare_(std::move(prepare)),
        encoding_(encoding),
        thread_([this] { run(); }) {}

  // From now on entries go through `prepare` (and are handed out): what it reads is ready.
  void start_preparing() {
    {
      std::lock_guard lock(mutex_);
      preparing_ = true;
    }
    changed_.notify_all();
  }

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
  static constexpr std::size_t kBatchesRead = 16;   // batches it may read before start_preparing

  // On the reading thread.
  void run() {
    try {
      auto reading = read_camt_stream(
          [this]() -> std::string_view { return stopping() ? std::string_view() : read_more_(); },
          [this](std::vector<BankEntry>& parts) -> Status {
            for (auto& part : parts) read_.push_back(std::move(part));
            if (read_.size() >= kBatchItems) hand_out(false);
            if (stopping()) return make_error("the import stopped reading");
            return Ok{};
          },
          encoding_);
      hand_out(true);
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

  // The entries read, prepared, to the consumer; before start_preparing they are kept (up to
  // kBatchesRead batches, then the reading waits). Waits while the consumer has enough
  // batches, unless it stopped. `last`: the document is read.
  void hand_out(bool last) {
    if (!read_.empty()) unprepared_.push_back(std::exchange(read_, {}));
    std::unique_lock lock(mutex_);
    if (!preparing_ && !last && unprepared_.size() < kBatchesRead) return;
    changed_.wait(lock, [this] { return preparing_ || stopped_; });
    if (stopped_) return;
    lock.unlock();
    for (auto& entries : unprepared_) {
      std::vector<Item> batch;
      batch.reserve(entries.size());
      for (auto& entry : entries) batch.push_back(prepare_(std::move(entry)));
      entries = {};
      lock.lock();
      changed_.wait(lock, [this] { return ready_.size() < kBatchesAhead || stopped_; });
      if (stopped_) return;
      ready_.push_back(std::move(batch));
      lock.unlock();
      changed_.notify_all();
    }
    unprepared_.clear();
  }

  bool stopping() {
    std::lock_guard lock(mutex_);
    return stopped_;
  }

  ReadMore read_more_;
  Prepare prepare_;
  std::optional<TextEncoding> encoding_;
  // The reading thread's own: the entries being read, and those read but not prepared yet.
  std::vector<BankEntry> read_;
  std::vector<std::vector<BankEntry>> unprepared_;

  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::vector<Item>> ready_;
  bool stopped_ = false;    // the consumer wants no more
  bool preparing_ = false;  // start_preparing was called
  bool done_ = false;       // the reading thread is over: reading_ or failure_ is set
  CamtReading reading_;
  std::exception_ptr failure_;

  std::thread thread_;  // last: started once everything above exists
};

}  // namespace cobrador::bank
