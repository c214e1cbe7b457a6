// One thread that runs jobs one at a time, in the order they were posted. For work that blocks
// (a database transaction waiting on a lock) and must stay off a thread that serves others.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace cobrador {

class JobThread {
 public:
  // `name` shows in top -H and perf; at most 15 characters are kept.
  explicit JobThread(std::string name);
  // Runs the jobs still queued, then ends the thread.
  ~JobThread();
  JobThread(const JobThread&) = delete;
  JobThread& operator=(const JobThread&) = delete;

  // A job must not throw: what it cannot handle it hands back to its caller itself.
  void post(std::function<void()> job);

 private:
  void run();

  std::string name_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::thread thread_;  // last: it starts once the rest is in place
};

}  // namespace cobrador
