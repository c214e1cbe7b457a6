// The repository interface (ARCHITECTURE rule 7): everything cobrador keeps goes through a
// Store. SQLite is the embedded default; policy, walk and dispatch never see which one runs.
//
// A Store is the sum of the faces its users need, each in its own header; a user takes the
// face it uses, not the whole store:
//   transactions.hpp     Transactions    the connection: transactions, savepoints, ping
//   audit_trail.hpp      AuditTrail      the audit trail, the operator's alerts and tasks
//   book.hpp             Book            the billing book, read (every face below reads it)
//   billing_store.hpp    BillingStore    the billing book, upserted
//   outbox_store.hpp     OutboxStore     actions queued and delivered
//   promise_store.hpp    PromiseStore    promises to pay and payment claims
//   dunning_store.hpp    DunningStore    the walk (and the promises it settles)
//   bank_book.hpp        BankBook        bank statements and the payments they confirm (and billing)
//   lifecycle_store.hpp  LifecycleStore  cancellations, locks, backups, purges (and the outbox)
//   desk_store.hpp       DeskStore       tasks, contacts, causes, cancellations awaiting a call
//   manual_store.hpp     ManualStore     suspension by hand (and the outbox)
//   webhook_log.hpp      WebhookLog      webhook deliveries already received
// The records they exchange are in records.hpp. What only SQLite needs (its log, durable
// commits for requests) is no part of a Store: see upkeep.hpp.
#pragma once

#include "store/bank_book.hpp"
#include "store/billing_store.hpp"
#include "store/desk_store.hpp"
#include "store/dunning_store.hpp"
#include "store/lifecycle_store.hpp"
#include "store/manual_store.hpp"
#include "store/records.hpp"
#include "store/transactions.hpp"
#include "store/webhook_log.hpp"

namespace cobrador::store {

// Every face inherits the ones it builds on virtually, so that a Store holds each once.
class Store : public virtual BillingStore,
              public virtual DunningStore,
              public virtual BankBook,
              public virtual LifecycleStore,
              public virtual DeskStore,
              public virtual ManualStore,
              public virtual WebhookLog {};

}  // namespace cobrador::store
