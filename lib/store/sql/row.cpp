// Implements the part of store/sql/row.hpp that is not inline.
#include "store/sql/row.hpp"

namespace cobrador::store::sql {

Currency stored_currency(const std::string& code) {
  auto currency = Currency::parse(code);
  if (!currency) throw StoreError("stored currency is not valid: " + code);
  return *currency;
}

}  // namespace cobrador::store::sql
