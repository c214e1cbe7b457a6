// The Prometheus metrics of /metrics (text exposition format 0.0.4). Request counts and
// latencies are counted here, in memory, as requests are answered; what the store knows
// (walk, stages, outbox, dispatcher attempts) is read at scrape time, so the figures hold
// for every process that shares the database (cobradorctl walk, another daemon).
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>

#include "service/sync_passes.hpp"
#include "store/desk_store.hpp"
#include "store/records.hpp"

namespace cobrador::http {

// What the store says at scrape time.
struct StoreFigures {
  std::optional<store::WalkRecord> last_walk;
  std::map<std::string, std::int64_t> customers_by_stage;
  store::OutboxCounts outbox;
  std::string backend;                       // "sqlite" or "postgresql"
  std::string daemon;                        // this process, as process_name() names it
  std::optional<std::string> walk_leader;    // the daemon that leads the walk, if any does
  std::vector<store::OpenTasks> open_tasks;  // the operator's inbox, by kind
  Instant now;                               // the scrape's moment, for the age of the oldest task
  // The last pass of each source under `sources:` that has had one (docs/connectors.md).
  std::vector<service::SyncPass> sync_passes;
};

// The `method` label of a request: one of the methods of RFC 9110 (and PATCH) as sent, else
// "other". Any token is a valid HTTP method, so a label taken as sent would let a client add
// a series with every request until /metrics (and the process) grows without end.
std::string_view method_label(std::string_view method);

class Metrics {
 public:
  // Upper bounds of the latency buckets, in seconds.
  static constexpr std::array<double, 12> kBuckets{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                   0.05,   0.1,   0.25,   0.5,   1.0,  2.5};

  // `route` is the pattern that matched ("/v1/customers/{id}"), or "unmatched", and the method
  // is counted by method_label(), so that the number of series stays bounded whatever methods
  // and paths clients invent.
  void observe(std::string_view method, std::string_view route, int status, std::chrono::nanoseconds took);

  std::string render(const StoreFigures& figures) const;

 private:
  struct Latency {
    std::array<std::uint64_t, kBuckets.size()> buckets{};  // not cumulative; summed on render
    std::uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mutex_;
  std::map<std::tuple<std::string, std::string, int>, std::uint64_t> requests_;
  std::map<std::pair<std::string, std::string>, Latency> latency_;
};

}  // namespace cobrador::http
