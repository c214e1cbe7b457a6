// The billing face: the book written from the billing system (imports, the API's billing
// routes, the bank's payments), upserted by external id.
#pragma once

#include <cstdint>
#include <string_view>

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
  // The payment came back, whoever reports it (a bank statement, the billing system): status
  // `returned` with its reason code; the invoice counts as owed again (an invoice the billing
  // system marked paid is open again) and the customer's returned_debits_in_a_row grows by
  // one. The caller calls it once per return: when a payment becomes `returned`, not when a
  // returned payment is reported again. Returns the customer's id.
  virtual std::int64_t return_payment(std::int64_t payment_id, std::string_view reason) = 0;
  // A confirmed payment ends a run of returned debits.
  virtual void clear_returned_debits(std::int64_t customer_id) = 0;
};

}  // namespace cobrador::store
