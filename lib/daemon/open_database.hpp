// Opens the store a configuration names — a SQLite file or a PostgreSQL database — with the
// password from database_password_file and a name that tells, in pg_stat_activity and on
// /healthz, which process and which of its parts holds a connection.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "config/config.hpp"
#include "store/store.hpp"

namespace cobrador::daemon {

// `role` says which part of the process uses the connection ("walk", "http", "dispatch"...);
// empty for the connection that holds the walk's lead.
// Throws StoreError when the database cannot be opened, std::runtime_error naming
// database_password_file when that file cannot be read.
std::unique_ptr<store::Store> open_database(const config::Config& config, std::string_view role);

}  // namespace cobrador::daemon
