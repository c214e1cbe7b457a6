// The store on a SQLite file (the embedded default): the shared SQL store over a SQLite
// connection, plus what only SQLite has — its write-ahead log, durable commits for requests
// and checkpoints taken off the commit path.
#pragma once

#include <string>

#include "store/sql/sql_store.hpp"
#include "store/sqlite/database.hpp"
#include "store/upkeep.hpp"
#include "util/process_name.hpp"

namespace cobrador::store::sqlite {

class SqliteStore final : public sql::SqlStore, public Upkeep {
 public:
  // Opens (creating if needed) and migrates the file.
  explicit SqliteStore(const std::string& path);

  void begin_with_own_references() override;
  void commit() override;
  void rollback() override;

  void prepare_for_requests() override;
  void leave_checkpoints_to_others() override;
  void checkpoint() override;
  void restart_log_if_long() override;

  // One file has one daemon (SPEC §1): it always leads its walk.
  bool try_lead_walk() override { return true; }
  std::optional<std::string> walk_leader() override { return process_name(); }
  std::string_view backend() const override { return "sqlite"; }

  Database& database() { return static_cast<Database&>(connection()); }

 private:
  int log_frames_ = 0;                 // frames in the write-ahead log after this connection's last commit
  int restart_frames_;                 // frames that make the log long (restart_log_if_long): 16 MiB of pages
  bool references_unchecked_ = false;  // foreign keys off until this transaction ends

  void check_references_again();
};

}  // namespace cobrador::store::sqlite
