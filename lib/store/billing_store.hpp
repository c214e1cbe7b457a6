// The billing face: the book written from the billing system (imports, the API's billing
// routes, the bank's payments), upserted by external id.
#pragma once

#include "domain/entities.hpp"
#include "store/audit_trail.hpp"
#include "store/book.hpp"
#include "store/records.hpp"
#include "util/result.hpp"

namespace cobrador::store {

class BillingStore : public virtual Book, public virtual AuditTrail {
 public:
  // A reference to a row that does not exist (an invoice's customer_id, a payment's
  // invoice_id) is an Error naming it.
  virtual Result<UpsertOutcome> upsert_customer(const Customer& customer) = 0;
  virtual Result<UpsertOutcome> upsert_service(const Service& service) = 0;
  virtual Result<UpsertOutcome> upsert_invoice(const Invoice& invoice) = 0;
  virtual Result<UpsertOutcome> upsert_payment(const Payment& payment, Instant now) = 0;
};

}  // namespace cobrador::store
