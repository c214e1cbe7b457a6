// /healthz answers from a result at most a second old; an older one is refreshed by a job on
// the store thread, and the callers that arrive meanwhile wait for that one job. A store thread
// that has not answered within two seconds (a stuck disk, a long forecast) makes /healthz say
// 503 at once instead of hanging the probe.
#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <vector>

#include "http/message.hpp"
#include "http/store_worker.hpp"

namespace cobrador::http {

class HealthCache {
 public:
  static constexpr auto kFresh = std::chrono::seconds{1};
  static constexpr auto kPatience = std::chrono::seconds{2};

  void answer(StoreWorker& store, Respond respond);

 private:
  // Runs on the store thread: the database answers, and the last walk.
  static Response check(store::DunningStore& store);
  void finish(Response response);

  std::mutex mutex_;
  std::optional<Response> last_;
  std::chrono::steady_clock::time_point checked_at_{};
  bool checking_ = false;
  std::chrono::steady_clock::time_point check_started_{};
  std::vector<Respond> waiting_;
};

}  // namespace cobrador::http
