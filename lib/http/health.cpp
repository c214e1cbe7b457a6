// Implements the cached health check.
#include "http/health.hpp"

#include <cstdio>

#include <nlohmann/json.hpp>

#include "http/json_error.hpp"
#include "util/process_name.hpp"
#include "util/dump_json.hpp"

namespace cobrador::http {

namespace {

Response unavailable(std::string_view database) {
  return json_response(503, dump_json(nlohmann::json{{"status", "unavailable"}, {"database", database}}));
}

const Response& as_seen_by(const HealthAnswers& answers, HealthCache::Detail detail) {
  return detail == HealthCache::Detail::full ? answers.detailed : answers.brief;
}

}  // namespace

HealthAnswers health_answers(Response detailed) {
  auto brief = json_response(detailed.status,
                             detailed.status == 200 ? R"({"status":"ok"})" : R"({"status":"unavailable"})");
  return {std::move(detailed), std::move(brief)};
}

void HealthCache::answer(StoreWorker& store, Detail detail, Respond respond) {
  const auto now = std::chrono::steady_clock::now();
  std::unique_lock lock(mutex_);
  if (last_ && now - checked_at_ < kFresh) {
    auto cached = as_seen_by(*last_, detail);
    lock.unlock();
    return respond(std::move(cached));
  }
  if (checking_ && now - check_started_ > kPatience) {
    lock.unlock();
    return respond(as_seen_by(health_answers(unavailable("not answering in time")), detail));
  }
  waiting_.push_back({detail, std::move(respond)});
  if (checking_) return;
  checking_ = true;
  check_started_ = now;
  lock.unlock();
  store.submit(StoreWorker::Mode::alone, &HealthCache::check,
               [this](Response detailed) { finish(std::move(detailed)); });
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
    return unavailable("not reachable");
  }
  return json_response(200, dump_json(body));
}

void HealthCache::finish(Response detailed) {
  auto answers = health_answers(std::move(detailed));
  std::vector<Waiting> waiting;
  {
    std::lock_guard lock(mutex_);
    last_ = answers;
    checked_at_ = std::chrono::steady_clock::now();
    checking_ = false;
    waiting.swap(waiting_);
  }
  for (auto& one : waiting) one.respond(as_seen_by(answers, one.detail));
}

}  // namespace cobrador::http
