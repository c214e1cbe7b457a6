// What the `database:` setting names: a SQLite file, or a PostgreSQL server by URI. Read by the
// configuration's checks, the CLI and the store's opener alike, so it lives below all of them.
#pragma once

#include <string>
#include <string_view>

namespace cobrador::config {

// True for the database strings the PostgreSQL store takes: postgresql://… or postgres://….
bool is_postgresql_uri(std::string_view database);

// True when a PostgreSQL URI carries a password (user:secret@host, or ?password=...), as
// libpq reads it. Such a URI is refused: it would end up in shell history, process lists and
// logs; the password comes from a file.
bool uri_has_password(const std::string& uri);

}  // namespace cobrador::config
