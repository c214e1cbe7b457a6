// Implements what the PostgreSQL store adds to the shared SQL store: connecting, migrating,
// and the walk's leadership among the daemons that share the database.
#include "store/postgres/pg_store.hpp"

#include "store/postgres/migrations.hpp"

namespace cobrador::store::postgres {

namespace {

// The advisory lock whose holder walks: "cobr" and 2 (1 is the migrations' lock).
constexpr std::int64_t kWalkLock = 0x636f6272'0002;

std::unique_ptr<Connection> open_migrated(const ConnectionOptions& options) {
  auto db = std::make_unique<Connection>(options);
  migrate(*db);
  return db;
}

}  // namespace

PgStore::PgStore(const ConnectionOptions& options) : SqlStore(open_migrated(options)) {}

// A session lock: it is held until this connection ends, so the daemon that took it walks
// every day until it stops or dies, and then the next daemon to ask takes over.
bool PgStore::try_lead_walk() {
  if (leads_walk_) return true;
  auto& stmt = database().prepare("SELECT pg_try_advisory_lock($1)");
  stmt.bind(1, kWalkLock);
  stmt.step();
  leads_walk_ = stmt.int64(0) != 0;
  stmt.reset();
  return leads_walk_;
}

std::optional<std::string> PgStore::walk_leader() {
  // An advisory lock on a bigint key shows in pg_locks as classid (high half) and objid (low).
  auto& stmt = database().prepare(
      "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
      "WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 "
      "AND l.classid::bigint = $1 AND l.objid::bigint = $2 AND l.database = "
      "(SELECT oid FROM pg_database WHERE datname = current_database())");
  stmt.bind(1, kWalkLock >> 32).bind(2, kWalkLock & 0xffffffff);
  std::optional<std::string> leader;
  if (stmt.step()) leader = stmt.text(0);
  stmt.reset();
  return leader;
}

}  // namespace cobrador::store::postgres
