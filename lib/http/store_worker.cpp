// Implements the store thread: a queue, batches of savepoint-fenced jobs under one commit,
// and jobs that run alone.
#include "http/store_worker.hpp"

#include <pthread.h>

#include <cstdio>

#include <fmt/format.h>

#include "http/json_error.hpp"
#include "store/store_error.hpp"

namespace cobrador::http {

namespace {

// Receipts older than this cannot be replayed (the 5-minute window refuses them first); a day
// leaves room for clocks that were wrong for a while.
constexpr auto kKeepReceipts = std::chrono::hours{24};
constexpr auto kPruneEvery = std::chrono::hours{1};

void log_failure(std::string_view what, const std::exception& e) {
  std::fprintf(stderr, "cobrador http: %.*s: %s\n", static_cast<int>(what.size()), what.data(), e.what());
}

}  // namespace

Response store_failure() {
  return error_response(500, "store_failure", "the request could not be applied; nothing was written");
}

Response store_busy() {
  auto response = error_response(503, "database_busy",
                                 "another program has held the database for a minute (a long cobradorctl "
                                 "command?); nothing was written, try again");
  response.headers.emplace_back("Retry-After", "5");
  return response;
}

StoreWorker::StoreWorker(store::OpenedStore store, std::function<Instant()> clock)
    : store_(std::move(store.store)), upkeep_(store.upkeep), clock_(std::move(clock)) {
  if (upkeep_) upkeep_->prepare_for_requests();
  thread_ = std::thread([this] { run(); });
}

StoreWorker::~StoreWorker() { stop(); }

void StoreWorker::submit(Mode mode, Work work, Respond respond) {
  {
    std::lock_guard lock(mutex_);
    if (!stopping_) {
      queue_.push_back({mode, std::move(work), std::move(respond)});
      wake_.notify_one();
      return;
    }
  }
  respond(error_response(503, "shutting_down", "the server is shutting down"));
}

void StoreWorker::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    wake_.notify_one();
  }
  if (!thread_.joinable()) return;
  // The last answer of a job can release the last owner of this worker on its own thread.
  if (thread_.get_id() == std::this_thread::get_id())
    thread_.detach();
  else
    thread_.join();
}

void StoreWorker::run() {
  pthread_setname_np(pthread_self(), "cobrador-store");  // for top -H and perf
  while (true) {
    std::deque<Job> jobs;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and nothing left to do
      while (!queue_.empty() && jobs.size() < kMaxBatch) {
        // A job that runs alone ends the batch before it, so the order of requests holds.
        if (queue_.front().mode == Mode::alone && !jobs.empty()) break;
        jobs.push_back(std::move(queue_.front()));
        queue_.pop_front();
        if (jobs.back().mode == Mode::alone) break;
      }
    }
    if (jobs.front().mode == Mode::alone)
      run_alone(jobs.front());
    else
      run_batch(jobs);
    restart_log();
    prune_receipts();
  }
}

bool StoreWorker::wait_for_busy_store(std::chrono::steady_clock::time_point since) {
  try {
    store_->rollback();
  } catch (const std::exception&) {  // nothing was open
  }
  if (std::chrono::steady_clock::now() - since >= kBusyPatience) return false;
  std::this_thread::sleep_for(std::chrono::milliseconds{1});
  return true;
}

void StoreWorker::run_alone(Job& job) {
  Response response;
  const auto since = std::chrono::steady_clock::now();
  try {
    while (true) {
      try {
        response = job.work(*store_);
        break;
      } catch (const store::StoreBusy& e) {
        if (!wait_for_busy_store(since)) {
          log_failure("store busy", e);
          response = store_busy();
          break;
        }
      }
    }
  } catch (const std::exception& e) {
    log_failure("store", e);
    try {
      store_->rollback();
    } catch (const std::exception&) {
    }
    response = store_failure();
  }
  job.respond(std::move(response));
}

Response StoreWorker::run_in_savepoint(Job& job, bool& transaction_lost) {
  store_->savepoint();
  Response response;
  try {
    response = job.work(*store_);
  } catch (const store::StoreBusy&) {
    throw;  // the whole batch waits and runs again
  } catch (const std::exception& e) {
    log_failure("store", e);
    response = store_failure();
  }
  try {
    if (response.status < 400)
      store_->release_savepoint();
    else
      store_->rollback_to_savepoint();
  } catch (const std::exception& e) {
    // SQLite rolls a whole transaction back on some errors (disk full, I/O): nothing of the
    // batch is left to commit.
    log_failure("savepoint", e);
    transaction_lost = true;
  }
  return response;
}

void StoreWorker::run_batch(std::deque<Job>& jobs) {
  std::vector<Response> answers;
  answers.reserve(jobs.size());
  const auto since = std::chrono::steady_clock::now();
  while (!try_batch(jobs, answers)) {
    answers.clear();
    if (!wait_for_busy_store(since)) {
      log_failure("store busy", std::runtime_error("another writer held the database"));
      for (auto& job : jobs) job.respond(store_busy());
      return;
    }
  }
  for (std::size_t i = 0; i < jobs.size(); ++i) jobs[i].respond(std::move(answers[i]));
}

bool StoreWorker::try_batch(std::deque<Job>& jobs, std::vector<Response>& answers) {
  bool lost = false;
  try {
    store_->begin();
    for (auto& job : jobs) answers.push_back(lost ? store_failure() : run_in_savepoint(job, lost));
    if (lost) throw std::runtime_error("the transaction was rolled back by the database");
    store_->commit();
  } catch (const store::StoreBusy&) {
    return false;  // nothing is answered yet: run_batch runs the batch again
  } catch (const std::exception& e) {
    log_failure("commit", e);
    try {
      store_->rollback();
    } catch (const std::exception&) {
    }
    answers.assign(jobs.size(), store_failure());
  }
  return true;
}

void StoreWorker::restart_log() {
  if (!upkeep_) return;
  try {
    upkeep_->restart_log_if_long();
  } catch (const std::exception& e) {
    log_failure("restarting the write-ahead log", e);
  }
}

void StoreWorker::prune_receipts() {
  const auto now = clock_();
  if (now - last_prune_ < kPruneEvery) return;
  last_prune_ = now;
  try {
    store::in_transaction(*store_, [&] { store_->forget_webhooks_before(now - kKeepReceipts); });
  } catch (const std::exception& e) {
    log_failure("pruning webhook receipts", e);
  }
}

}  // namespace cobrador::http
