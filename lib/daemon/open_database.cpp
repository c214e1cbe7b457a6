// Implements opening the configured store.
#include "daemon/open_database.hpp"

#include <unistd.h>

#include <array>
#include <stdexcept>

#include <fmt/format.h>

#include "store/postgres/connection.hpp"

namespace cobrador::daemon {

std::string process_name(std::string_view program) {
  std::array<char, 256> host{};
  if (gethostname(host.data(), host.size() - 1) != 0) host[0] = '\0';
  return fmt::format("{} {}:{}", program, host.data(), getpid());
}

std::unique_ptr<store::Store> open_database(const config::Config& config, std::string_view role,
                                            std::string_view program) {
  store::StoreOptions options;
  if (store::postgres::is_postgresql_uri(config.database)) {
    if (!config.database_password_file.empty()) {
      auto password = config::read_secret(config, config.database_password_file);
      if (!password) throw std::runtime_error(fmt::format("database_password_file: {}", password.error().message));
      options.password = std::move(*password);
    }
    // PostgreSQL keeps 63 bytes of an application name. The connection that holds the walk's
    // lead has no role in its name, so that walk_leader() reads as the process's name.
    const auto name = process_name(program);
    options.client_name = (role.empty() ? name : fmt::format("{} {}", name, role)).substr(0, 63);
  }
  return store::open_store(config.database, options);
}

}  // namespace cobrador::daemon
