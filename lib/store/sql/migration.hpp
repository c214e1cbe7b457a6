// One numbered step of the schema. Each database has its own list in its own dialect
// (store/sqlite/migrations.cpp, store/postgres/migrations.cpp); the numbers and names match.
#pragma once

#include <string_view>

namespace cobrador::store::sql {

struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;
};

}  // namespace cobrador::store::sql
