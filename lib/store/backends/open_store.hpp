// Opening a store by name: the one place that knows both backends, so that nothing above the
// store interface links SQLite or PostgreSQL code of its own choosing.
#pragma once

#include <memory>
#include <string>

#include "store/store.hpp"
#include "store/upkeep.hpp"

namespace cobrador::store {

// How to reach the database besides its name: the password (PostgreSQL only; read from
// `database_password_file`, never part of the URI) and the name this process shows there.
struct StoreOptions {
  std::string password;
  std::string client_name;
};

// Opens the store named by `database` — a file path (SQLite) or a postgresql:// URI — creating
// and migrating it.
std::unique_ptr<Store> open_store(const std::string& database, const StoreOptions& options = {});
// open_store, with the upkeep of the same connection when the backend needs any (SQLite).
OpenedStore open_store_with_upkeep(const std::string& database, const StoreOptions& options = {});
// A connection of its own for the upkeep alone (the HTTP API's checkpoints); null when the
// backend needs none (PostgreSQL): then no connection is opened.
std::unique_ptr<Upkeep> open_upkeep(const std::string& database);

}  // namespace cobrador::store
