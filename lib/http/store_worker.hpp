// The one thread that talks to the store for the HTTP API (STYLE: keep blocking SQLite calls
// off the Asio thread that serves HTTP). Handlers hand it jobs; it answers through each job's
// Respond, which the session posts back to its own strand.
//
// Group commit: the write jobs waiting in the queue run in one transaction, each fenced by a
// savepoint, and their answers go out only after the one COMMIT (synchronous=FULL) returned.
// A job whose answer is an error (status >= 400) or that throws is rolled back to its
// savepoint alone: every request is applied whole or not at all.
//
// Another program writing (cobradorctl import, in chunks) makes the store busy: the batch is
// rolled back and run again once the database is free, so the requests wait and succeed;
// only past kBusyPatience are they answered 503 database_busy (never 500: nothing failed).
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "domain/date.hpp"
#include "http/message.hpp"
#include "store/store.hpp"
#include "store/upkeep.hpp"

namespace cobrador::http {

class StoreWorker {
 public:
  using Work = std::function<Response(store::Store&)>;
  enum class Mode {
    batched,  // inside the shared write transaction, under a savepoint
    alone,    // outside any transaction; the work opens its own if it needs one (simulate)
  };

  // Takes the store over and starts the thread. `clock` dates the pruning of old receipts.
  StoreWorker(store::OpenedStore store, std::function<Instant()> clock);
  ~StoreWorker();
  StoreWorker(const StoreWorker&) = delete;
  StoreWorker& operator=(const StoreWorker&) = delete;

  void submit(Mode mode, Work work, Respond respond);
  // Runs what is queued, then ends the thread. Jobs submitted afterwards are answered 503.
  void stop();

  static constexpr std::size_t kMaxBatch = 512;
  static constexpr std::chrono::seconds kBusyPatience{60};

 private:
  struct Job {
    Mode mode;
    Work work;
    Respond respond;
  };

  void run();
  void run_batch(std::deque<Job>& jobs);
  // One try of the batch; false when the store was busy (everything rolled back).
  bool try_batch(std::deque<Job>& jobs, std::vector<Response>& answers);
  void run_alone(Job& job);
  // Rolls back what a busy store left open; false once kBusyPatience is over since `since`.
  bool wait_for_busy_store(std::chrono::steady_clock::time_point since);
  Response run_in_savepoint(Job& job, bool& transaction_lost);
  void restart_log();
  void prune_receipts();

  std::unique_ptr<store::Store> store_;
  store::Upkeep* upkeep_;  // of store_'s connection; null when its backend needs none
  std::function<Instant()> clock_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> queue_;
  bool stopping_ = false;
  Instant last_prune_{};
  std::thread thread_;
};

// The answer for a request the store could not take (logged; the message says nothing more).
Response store_failure();
// 503 for a request that waited kBusyPatience for another writer to finish.
Response store_busy();

}  // namespace cobrador::http
