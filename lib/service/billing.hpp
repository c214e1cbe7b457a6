// The billing system's writes (customers, services, invoices, payments), one function each,
// shared by `cobradorctl import` and the HTTP API (ARCHITECTURE rule 5). Each runs inside the
// caller's transaction, audits what changed, and says whose dunning it touched; settle()
// then ends the episodes that nothing overdue keeps open any more.
#pragma once

#include <set>
#include <string>

#include "domain/entities.hpp"
#include "policy/policy.hpp"
#include "store/billing_store.hpp"
#include "store/dunning_store.hpp"
#include "util/result.hpp"

namespace cobrador::service {

// Who wrote and from where, for the audit trail.
struct Origin {
  std::string actor;   // operator:<name>, billing, bank:<source>...
  std::string source;  // "customers.csv:12", "PUT /v1/invoices/inv-1"
};

// The audit row a change of one row writes, but for its event (created or updated) and time:
// built apart from the write, so that an import builds it on its reading thread while the
// rows before are written.
struct ChangeNote {
  std::string subject;  // "customer:<id>"
  std::string details;  // {"id", "source", "fields"} as JSON text
};
ChangeNote change_note(const Customer& customer, const std::string& source);
ChangeNote change_note(const Service& service, const std::string& source);
ChangeNote change_note(const Invoice& invoice, const std::string& source);

// put_customer, put_service and put_invoice with their audit row's note built already.
Result<store::UpsertOutcome> put_noted(store::BillingStore& store, const Customer& customer, Instant now,
                                       const std::string& actor, const ChangeNote& note);
Result<store::UpsertOutcome> put_noted(store::BillingStore& store, const Service& service, Instant now,
                                       const std::string& actor, const ChangeNote& note);
Result<store::UpsertOutcome> put_noted(store::BillingStore& store, const Invoice& invoice, Instant now,
                                       const std::string& actor, const ChangeNote& note);

Result<store::UpsertOutcome> put_customer(store::BillingStore& store, const Customer& customer, Instant now,
                                          const Origin& origin);
Result<store::UpsertOutcome> put_service(store::BillingStore& store, const Service& service, Instant now,
                                         const Origin& origin);
Result<store::UpsertOutcome> put_invoice(store::BillingStore& store, const Invoice& invoice, Instant now,
                                         const Origin& origin);
Result<store::UpsertOutcome> put_payment(store::BillingStore& store, const Payment& payment, Instant now,
                                         const Origin& origin);
// The audit row put_payment writes for a new payment, for the bank import's own insert of a
// new confirmed payment (service/bank_payment.cpp), which must leave the same trail. Pure, so
// that an import may build it ahead, on its reading thread.
AuditEntry new_payment_audit(const Payment& payment, const std::string& customer_ext_id, Instant now,
                             const Origin& origin);

// Re-decides the customers whose data changed: an episode with nothing overdue ends now and
// its suspensions for non-payment are lifted in the same transaction (SPEC §10).
void settle(store::DunningStore& store, const policy::Policy& policy, const std::set<std::int64_t>& customers,
            Instant now, const std::string& actor);

}  // namespace cobrador::service
