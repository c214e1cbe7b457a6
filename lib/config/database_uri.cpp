// Implements the database URI checks with libpq's own URI reader.
#include "config/database_uri.hpp"

#include <libpq-fe.h>

namespace cobrador::config {

bool is_postgresql_uri(std::string_view database) {
  return database.starts_with("postgresql://") || database.starts_with("postgres://");
}

bool uri_has_password(const std::string& uri) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(uri.c_str(), &error);
  PQfreemem(error);
  if (!options) return false;  // not a URI libpq reads: connecting will say so
  bool found = false;
  for (const auto* o = options; o->keyword; ++o) {
    if (std::string_view(o->keyword) == "password" && o->val && *o->val) found = true;
  }
  PQconninfoFree(options);
  return found;
}

}  // namespace cobrador::config
