// Implements opening the configured store.
#include "daemon/open_database.hpp"

#include <stdexcept>

#include <fmt/format.h>

#include "config/database_uri.hpp"
#include "store/postgres/connection.hpp"
#include "util/process_name.hpp"
#include "store/backends/open_store.hpp"

namespace cobrador::daemon {

std::unique_ptr<store::Store> open_database(const config::Config& config, std::string_view role) {
  return open_database_with_upkeep(config, role).store;
}

store::OpenedStore open_database_with_upkeep(const config::Config& config, std::string_view role) {
  store::StoreOptions options;
  if (config::is_postgresql_uri(config.database)) {
    if (!config.database_password_file.empty()) {
      auto password = config::read_secret(config, config.database_password_file);
      if (!password)
        throw std::runtime_error(fmt::format("database_password_file: {}", password.error().message));
      options.password = std::move(*password);
    }
    // PostgreSQL keeps 63 bytes of an application name. The connection that holds the walk's
    // lead has no role in its name, so that walk_leader() reads as the process's name.
    const auto name = process_name();
    options.client_name = (role.empty() ? name : fmt::format("{} {}", name, role)).substr(0, 63);
  }
  return store::open_store_with_upkeep(config.database, options);
}

std::unique_ptr<store::Upkeep> open_upkeep(const config::Config& config) {
  return store::open_upkeep(config.database);
}

}  // namespace cobrador::daemon
