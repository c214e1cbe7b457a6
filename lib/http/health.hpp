// /healthz answers from a result at most a second old; an older one is refreshed by a job on
// the store thread, and the callers that arrive meanwhile wait for that one job. A store thread
// that has not answered within two seconds (a stuck disk, a long forecast) makes /healthz say
// 503 at once instead of hanging the probe.
//
// Each check yields two answers: the detail (store, this daemon's host and pid, the walk
// leader, the last walk) for authenticated callers, and the status alone for anyone else, so
// that whoever reaches the listen address learns nothing that names or describes the site.
#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <vector>

#include "http/message.hpp"
#include "http/store_worker.hpp"

namespace cobrador::http {

// What one check found, as each kind of caller sees it.
struct HealthAnswers {
  Response detailed;
  Response brief;  // {"status": ...} with the same HTTP status
};

// The answers of a detailed one: the brief says "ok" for a 200, "unavailable" for anything else.
HealthAnswers health_answers(Response detailed);

class HealthCache {
 public:
  static constexpr auto kFresh = std::chrono::seconds{1};
  static constexpr auto kPatience = std::chrono::seconds{2};

  enum class Detail { brief, full };

  void answer(StoreWorker& store, Detail detail, Respond respond);

 private:
  struct Waiting {
    Detail detail;
    Respond respond;
  };
  // Runs on the store thread: the database answers, and the last walk.
  static Response check(store::DunningStore& store);
  void finish(Response detailed);

  std::mutex mutex_;
  std::optional<HealthAnswers> last_;
  std::chrono::steady_clock::time_point checked_at_{};
  bool checking_ = false;
  std::chrono::steady_clock::time_point check_started_{};
  std::vector<Waiting> waiting_;
};

}  // namespace cobrador::http
