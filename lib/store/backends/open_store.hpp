// Opening a store by name: the one place that knows both backends, so that nothing above the
// store interface links SQLite or PostgreSQL code of its own choosing.
#pragma once

#include <memory>
#include <string>

#include "store/store.hpp"

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

}  // namespace cobrador::store
