// What a store throws when the database itself fails, for callers on either side of the store
// interface (the backends throw them; the HTTP store thread and cobradorctl catch them).
#pragma once

#include <stdexcept>

namespace cobrador::store {

// The database failed (disk full, corrupt file, constraint broken by a bug): not bad input.
class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Another writer held the database past the wait (SQLite's "database is locked"): nothing is
// wrong with the work, which can be tried again once that writer is done.
class StoreBusy : public StoreError {
 public:
  using StoreError::StoreError;
};

}  // namespace cobrador::store
