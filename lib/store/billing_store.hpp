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
  // system marked paid is open again) and the customer's returned_debits_in_a_row counted
  // again (recount_returned_debits). Returns the customer's id.
  virtual std::int64_t return_payment(std::int64_t payment_id, std::string_view reason) = 0;
  // returned_debits_in_a_row = the customer's returned payments received after their last
  // confirmed one (by day received, then id). A confirmed payment ends a run; a debit that was
  // confirmed and then came back is a return, not an end: counting from the payments, not by
  // adding and clearing, keeps "collected, then returned" three months running at 3.
  virtual void recount_returned_debits(std::int64_t customer_id) = 0;
};

}  // namespace cobrador::store
