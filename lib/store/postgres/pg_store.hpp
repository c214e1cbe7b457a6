// The store on PostgreSQL (issue 9): the shared SQL store over a libpq connection, plus what
// several daemons on one database need — the walk led by one of them at a time (a session
// advisory lock) and the name of who leads. Durability and checkpoints are the server's.
#pragma once

#include "store/postgres/connection.hpp"
#include "store/sql/sql_store.hpp"

namespace cobrador::store::postgres {

class PgStore final : public sql::SqlStore {
 public:
  // Connects and migrates (under an advisory lock, so daemons starting together are safe).
  explicit PgStore(const ConnectionOptions& options);

  bool try_lead_walk() override;
  std::optional<std::string> walk_leader() override;
  std::string_view backend() const override { return "postgresql"; }

  Connection& database() { return static_cast<Connection&>(connection()); }

 private:
  bool leads_walk_ = false;
};

}  // namespace cobrador::store::postgres
