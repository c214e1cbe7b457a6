// Opens the store a configuration names — a SQLite file or a PostgreSQL database — with the
// password from database_password_file and a name that tells, in pg_stat_activity and on
// /healthz, which process and which of its parts holds a connection.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "config/config.hpp"
#include "store/store.hpp"
#include "store/upkeep.hpp"

namespace cobrador::daemon {

// `role` says which part of the process uses the connection ("walk", "http", "dispatch"...);
// empty for the connection that holds the walk's lead.
// Throws StoreError when the database cannot be opened, std::runtime_error naming
// database_password_file when that file cannot be read.
std::unique_ptr<store::Store> open_database(const config::Config& config, std::string_view role);
// open_database, with the upkeep of the same connection when the backend needs any (SQLite).
store::OpenedStore open_database_with_upkeep(const config::Config& config, std::string_view role);
// A connection for the upkeep alone (the HTTP API's checkpoints); null, and nothing opened,
// when the backend needs none (PostgreSQL).
std::unique_ptr<store::Upkeep> open_upkeep(const config::Config& config);

}  // namespace cobrador::daemon
