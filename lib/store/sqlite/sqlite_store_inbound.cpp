// Implements the HTTP API's half of SqliteStore: savepoints for group commit, durable commits,
// webhook receipts, the reads the handlers need, and the counts behind /healthz and /metrics.
#include <array>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "store/sqlite/payment_row.hpp"
#include "store/sqlite/action_row.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace cobrador::store::sqlite {

namespace {

using nlohmann::json;

constexpr std::array<std::string_view, 6> kActionStates{"pending", "in_flight", "done",
                                                        "failed",  "dead",      "cancelled"};

}  // namespace

// Prepared once: these run around every API request.
void SqliteStore::savepoint() { db_.prepare("SAVEPOINT request").run(); }

void SqliteStore::release_savepoint() { db_.prepare("RELEASE request").run(); }

void SqliteStore::rollback_to_savepoint() {
  db_.prepare("ROLLBACK TO request").run();
  db_.prepare("RELEASE request").run();
}

// WAL with synchronous=NORMAL survives a crash of the process but may lose the last commits on
// a power cut; FULL syncs the log on every commit, which group commit makes affordable.
void SqliteStore::prepare_for_requests() {
  db_.exec("PRAGMA synchronous = FULL");
  // A statement inside a savepoint keeps a statement journal; on disk that is a temp file
  // opened and deleted for every request.
  db_.exec("PRAGMA temp_store = MEMORY");
  // The pages requests touch are spread over the whole book (any customer may pay): a cache
  // of 64 MiB instead of the default 2 MiB saves a read from the OS for most of them.
  db_.exec("PRAGMA cache_size = -65536");
}

// The hook replaces the automatic checkpoint (which is itself a WAL hook) and only counts:
// SQLite passes the log's length after every commit.
void SqliteStore::leave_checkpoints_to_others() {
  sqlite3_wal_hook(
      db_.handle(),
      [](void* frames, sqlite3*, const char*, int length) {
        *static_cast<int*>(frames) = length;
        return SQLITE_OK;
      },
      &log_frames_);
}

// PASSIVE copies without blocking anyone, and syncs the database file after copying.
void SqliteStore::checkpoint() {
  const int rc = sqlite3_wal_checkpoint_v2(db_.handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  // BUSY: another connection is checkpointing at the same moment.
  if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
    throw StoreError(fmt::format("sqlite: checkpoint: {}", sqlite3_errmsg(db_.handle())));
  }
}

// A writer that never pauses keeps the log growing: SQLite starts it over only when a write
// begins with every frame already copied, and under load a commit always lands first. A
// RESTART resets it, but it holds writers back while it waits for readers; run from another
// connection it waited on the writer's own open transaction, which waited on it (commits of
// 100-700 ms, measured). Run here, between transactions, it waits on nobody who waits on it,
// and the checkpoint thread has already copied almost everything. The log file keeps its size
// (no journal_size_limit), so later commits overwrite blocks that exist instead of allocating.
void SqliteStore::restart_log_if_long() {
  constexpr int kRestartFrames = 4096;  // 16 MiB of 4 KiB pages
  if (log_frames_ < kRestartFrames) return;
  sqlite3_busy_timeout(db_.handle(), 20);
  const int rc = sqlite3_wal_checkpoint_v2(db_.handle(), nullptr, SQLITE_CHECKPOINT_RESTART, nullptr, nullptr);
  sqlite3_busy_timeout(db_.handle(), 10000);
  if (rc == SQLITE_OK) log_frames_ = 0;
  // BUSY: a reader (the walk, a cobradorctl) still uses the log; the next batch tries again.
  if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
    throw StoreError(fmt::format("sqlite: restarting the log: {}", sqlite3_errmsg(db_.handle())));
  }
}

bool SqliteStore::remember_webhook(std::string_view source, std::string_view webhook_id, Instant at) {
  db_.prepare("INSERT OR IGNORE INTO webhook_receipts (source, webhook_id, received_at) VALUES (?, ?, ?)")
      .bind(1, source)
      .bind(2, webhook_id)
      .bind(3, to_unix(at))
      .run();
  return db_.changes() > 0;
}

void SqliteStore::forget_webhooks_before(Instant before) {
  db_.prepare("DELETE FROM webhook_receipts WHERE received_at < ?").bind(1, to_unix(before)).run();
}

std::optional<Payment> SqliteStore::payment(std::string_view ext_id) {
  auto& stmt = db_.prepare(
      fmt::format("SELECT {} FROM payments p JOIN invoices i ON i.id = p.invoice_id WHERE p.ext_id = ?",
                  kPaymentColumns));
  stmt.bind(1, ext_id);
  if (!stmt.step()) return std::nullopt;
  auto p = read_payment(stmt);
  stmt.reset();
  return p;
}

std::optional<Action> SqliteStore::action_by_key(std::string_view key) {
  auto& stmt = db_.prepare(fmt::format("SELECT {} FROM actions WHERE key = ?", kActionColumns));
  stmt.bind(1, key);
  if (!stmt.step()) return std::nullopt;
  Action action = read_action(stmt);
  stmt.reset();
  return action;
}

void SqliteStore::add_alert(Instant at, std::string_view kind, std::string_view subject,
                            std::string_view message) {
  db_.prepare("INSERT INTO alerts (at, kind, subject, message) VALUES (?, ?, ?, ?)")
      .bind(1, to_unix(at))
      .bind(2, kind)
      .bind(3, subject)
      .bind(4, message)
      .run();
}

void SqliteStore::ping() {
  auto& stmt = db_.prepare("SELECT COUNT(*) FROM sqlite_schema");
  stmt.step();
  stmt.reset();
}

std::map<std::string, std::int64_t> SqliteStore::customers_by_stage(
    const std::vector<std::string>& stage_order) {
  // Each open episode's latest stage in policy order: the position of its stage in the JSON
  // array of stage names, the highest one that ran and was not skipped.
  auto& stmt = db_.prepare(
      "SELECT position, COUNT(*) FROM (SELECT MAX((SELECT CAST(j.key AS INTEGER) FROM json_each(?1) j "
      "WHERE j.value = r.stage)) AS position FROM stage_runs r JOIN episodes e ON e.id = r.episode_id "
      "WHERE e.ended_at IS NULL AND r.superseded = 0 GROUP BY r.episode_id) WHERE position IS NOT NULL "
      "GROUP BY position");
  stmt.bind(1, json(stage_order).dump());
  std::map<std::string, std::int64_t> counts;
  for (const auto& name : stage_order) counts[name] = 0;
  while (stmt.step()) {
    const auto position = static_cast<std::size_t>(stmt.int64(0));
    if (position < stage_order.size()) counts[stage_order[position]] = stmt.int64(1);
  }
  return counts;
}

Store::OutboxCounts SqliteStore::outbox_counts() {
  OutboxCounts counts;
  for (const auto state : kActionStates) counts.by_state[std::string(state)] = 0;
  auto& stmt = db_.prepare("SELECT state, COUNT(*), COALESCE(SUM(attempts), 0) FROM actions GROUP BY state");
  while (stmt.step()) {
    const auto state = stmt.text(0);
    counts.by_state[state] = stmt.int64(1);
    counts.attempts += stmt.int64(2);
    if (state == "done") counts.done = stmt.int64(1);
  }
  return counts;
}

}  // namespace cobrador::store::sqlite
