// What only a SQLite store needs looked after: durable commits for requests and its
// write-ahead log, checkpointed off the commit path. PostgreSQL's server syncs every commit
// and checkpoints by itself, so its store has no Upkeep. Whoever opens a store gets the
// upkeep of the same connection beside it (OpenedStore, store/backends/open_store.hpp): the
// HTTP API's request thread and its checkpoint thread (lib/http) are the ones that use it.
#pragma once

#include <memory>

#include "store/store.hpp"

namespace cobrador::store {

class Upkeep;

// An opened store and, when its backend needs any, the upkeep of the same connection (null
// on PostgreSQL). `store` owns the connection; `upkeep` points into it.
struct OpenedStore {
  std::unique_ptr<Store> store;
  Upkeep* upkeep = nullptr;
};

class Upkeep {
 public:
  virtual ~Upkeep() = default;

  // This connection serves requests from now on: every commit waits for the disk (an answered
  // request survives a power cut), statement journals stay in memory, and the page cache is big.
  virtual void prepare_for_requests() = 0;
  // Commits on this connection no longer copy the log into the database (a checkpoint can take
  // tens of milliseconds); another connection calls checkpoint() instead, off the commit path.
  virtual void leave_checkpoints_to_others() = 0;
  // Copies what it can of the write-ahead log into the database without blocking writers.
  virtual void checkpoint() = 0;
  // On the connection that writes, between two transactions: once the log has grown past
  // 16 MiB, copies the little the checkpoints left and starts the log over. Only the writer
  // can do this without waiting on itself (see the definition).
  virtual void restart_log_if_long() = 0;
};

}  // namespace cobrador::store
