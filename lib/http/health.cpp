// Implements the cached health check.
#include "http/health.hpp"

#include <cstdio>

#include <nlohmann/json.hpp>

#include "http/json_error.hpp"
#include "util/process_name.hpp"
#include "util/dump_json.hpp"

namespace cobrador::http {

void HealthCache::answer(StoreWorker& store, Respond respond) {
  const auto now = std::chrono::steady_clock::now();
  std::unique_lock lock(mutex_);
  if (last_ && now - checked_at_ < kFresh) {
    auto cached = *last_;
    lock.unlock();
    return respond(std::move(cached));
  }
  if (checking_ && now - check_started_ > kPatience) {
    lock.unlock();
    return respond(json_response(503, R"({"status":"unavailable","database":"not answering in time"})"));
  }
  waiting_.push_back(std::move(respond));
  if (checking_) return;
  checking_ = true;
  check_started_ = now;
  lock.unlock();
  store.submit(StoreWorker::Mode::alone, &HealthCache::check,
               [this](Response response) { finish(std::move(response)); });
}

Response HealthCache::check(store::DunningStore& store) {
  nlohmann::json body{{"status", "ok"}, {"database", "ok"}, {"last_walk", nullptr}};
  try {
    store.ping();
    body["store"] = store.backend();
    body["daemon"] = process_name();
    const auto leader = store.walk_leader();
    body["walk_leader"] = leader ? nlohmann::json(*leader) : nlohmann::json(nullptr);
    if (const auto walk = store.last_walk()) {
      body["last_walk"] = {{"day", format_date(walk->day)},
                           {"started_at", format_instant(walk->started_at)},
                           {"finished_at", format_instant(walk->finished_at)},
                           {"evaluated", walk->evaluated}};
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "cobrador http: health check: %s\n", e.what());
    return json_response(503, R"({"status":"unavailable","database":"not reachable"})");
  }
  return json_response(200, dump_json(body));
}

void HealthCache::finish(Response response) {
  std::vector<Respond> waiting;
  {
    std::lock_guard lock(mutex_);
    last_ = response;
    checked_at_ = std::chrono::steady_clock::now();
    checking_ = false;
    waiting.swap(waiting_);
  }
  for (auto& respond : waiting) respond(response);
}

}  // namespace cobrador::http
