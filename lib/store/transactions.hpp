// The connection every face of the store is a view of (ARCHITECTURE rule 7): its write
// transactions, the savepoints that fence requests inside one, and whether it answers.
// Every face inherits it (virtually: a Store is one connection), so that whoever holds a face
// can run its work in a transaction of that same connection.
#pragma once

#include <string_view>
#include <type_traits>

namespace cobrador::store {

class Transactions {
 public:
  virtual ~Transactions() = default;

  // One writer at a time: begin() takes the write lock at once (BEGIN IMMEDIATE).
  virtual void begin() = 0;
  // begin() for a transaction whose writes point only at rows it read or wrote itself, as a
  // bank import's do (the open invoices it read, the import row and payments it inserted,
  // nothing deleted): the database need not look each reference up again as it is written.
  // SQLite skips enforcing foreign keys until the transaction ends (a third of the SQLite time
  // of a 100,000-entry import: docs/benchmarks.md); PostgreSQL checks as always. The
  // constraints stay declared and every other transaction is checked.
  virtual void begin_with_own_references() { begin(); }
  virtual void commit() = 0;
  virtual void rollback() = 0;

  // Requests share one transaction (group commit); each is fenced by a savepoint, so that a
  // refused or failed request leaves nothing behind while the rest of the batch commits.
  virtual void savepoint() = 0;
  virtual void release_savepoint() = 0;
  virtual void rollback_to_savepoint() = 0;

  // For /healthz: a trivial read that fails when the database does not answer.
  virtual void ping() = 0;
  // "sqlite" or "postgresql", for /healthz and /metrics.
  virtual std::string_view backend() const = 0;
};

// Whose rows a transaction's writes point at: `any` are checked as they are written; `own`
// are rows the transaction itself read or wrote (Transactions::begin_with_own_references).
enum class References { any, own };

// Runs `work` inside a write transaction: committed if it returns, rolled back if it throws.
template <class F>
auto in_transaction(Transactions& store, F&& work, References references = References::any)
    -> decltype(work()) {
  if (references == References::own) {
    store.begin_with_own_references();
  } else {
    store.begin();
  }
  try {
    if constexpr (std::is_void_v<decltype(work())>) {
      work();
      store.commit();
    } else {
      auto result = work();
      store.commit();
      return result;
    }
  } catch (...) {
    store.rollback();
    throw;
  }
}

}  // namespace cobrador::store
