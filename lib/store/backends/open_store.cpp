// Implements opening a store by name: a postgresql:// URI or a SQLite file.
#include "store/backends/open_store.hpp"

#include "config/database_uri.hpp"
#include "store/postgres/pg_store.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace cobrador::store {

std::unique_ptr<Store> open_store(const std::string& database, const StoreOptions& options) {
  return open_store_with_upkeep(database, options).store;
}

OpenedStore open_store_with_upkeep(const std::string& database, const StoreOptions& options) {
  if (config::is_postgresql_uri(database)) {
    return {std::make_unique<postgres::PgStore>(
                postgres::ConnectionOptions{database, options.password, options.client_name}),
            nullptr};
  }
  auto sqlite = std::make_unique<sqlite::SqliteStore>(database);
  Upkeep* upkeep = sqlite.get();
  return {std::move(sqlite), upkeep};
}

std::unique_ptr<Upkeep> open_upkeep(const std::string& database) {
  if (config::is_postgresql_uri(database)) return nullptr;
  return std::make_unique<sqlite::SqliteStore>(database);
}

}  // namespace cobrador::store
