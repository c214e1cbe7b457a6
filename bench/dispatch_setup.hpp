// What the dispatch benchmarks share: a book of N customers, each with a hosting service on
// the panel "bench" and a suspension due now, and the outbound setup that sends them to a
// loopback webhook panel.
#pragma once

#include <string>

#include "dispatch/dispatcher.hpp"
#include "domain/entities.hpp"
#include "store/store.hpp"

namespace cobrador::bench {

std::string suspend_payload(int i);

// Writes the book and its `actions` suspensions into `database` (a SQLite path or a
// postgresql:// URI), in one transaction.
void prepare(const std::string& database, int actions, Instant now);

// The panel "bench": a webhook at `url`/hook, `concurrency` calls at once.
dispatch::Outbound loopback_panel(const std::string& url, int concurrency);

// What one dispatcher did draining `store` against that panel, as of `now` (the actions'
// time: none backs off), and how long it took.
struct Drained {
  dispatch::DispatchCounts counts;
  double seconds = 0;
};
Drained drain(store::Store& store, const std::string& url, int concurrency, const std::string& owner,
              Instant now);

}  // namespace cobrador::bench
