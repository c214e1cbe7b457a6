// The promises face: promises to pay, payment claims and what expiring or confirming them
// changes (lib/service/trust_release, payment_claims; walk/promise_outcomes).
// Every method runs inside the caller's write transaction (reads may run outside one).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "domain/entities.hpp"
#include "domain/promise.hpp"
#include "store/audit_trail.hpp"
#include "store/book.hpp"
#include "store/records.hpp"

namespace cobrador::store {

class PromiseStore : public virtual Book, public virtual AuditTrail {
 public:
  // Records a new open promise; returns its id. A second open promise of one customer is a
  // StoreError (the service checks first).
  virtual std::int64_t add_promise(const Promise& promise) = 0;
  // The customer's promises, oldest first (the eligibility rules read the whole history).
  virtual std::vector<Promise> promises_of(std::int64_t customer_id) = 0;
  virtual std::optional<Promise> open_promise(std::int64_t customer_id) = 0;
  // Across customers, newest first; only those with `outcome` when given.
  virtual std::vector<Promise> list_promises(std::optional<PromiseOutcome> outcome) = 0;
  virtual void close_promise(std::int64_t promise_id, PromiseOutcome outcome, Instant at) = 0;
  // An expired claim ends the release it caused now, not at its later deadline.
  virtual void move_promise_deadline(std::int64_t promise_id, Date deadline) = 0;
  // Cancels the customer's suspensions for non-payment that are queued but not carried out
  // (pending or failed), audited with `why`; returns their targets (service ext ids).
  virtual std::vector<std::string> cancel_queued_suspensions(std::int64_t customer_id, Instant now,
                                                             std::string_view why,
                                                             std::string_view actor) = 0;
  // Marks a payment as a claim that expires on `expires_on`, and makes sure the walk of that
  // day looks at its customer.
  virtual void set_claim_expiry(std::int64_t payment_id, Date expires_on) = 0;
  // Claims (payments recorded as claims, or still `claimed`), newest first; of one customer
  // when given.
  virtual std::vector<Claim> claims(std::optional<std::int64_t> customer_id) = 0;
  // The customer's claims still `claimed`, oldest first (policy::claim_expired says which expired).
  virtual std::vector<Claim> open_claims(std::int64_t customer_id) = 0;
  // The same for a batch of customers (a walk's), by customer, in one read.
  virtual std::vector<Claim> open_claims_of(std::span<const std::int64_t> customer_ids) = 0;
  // confirm / reject by hand, or an expired claim: the new status and why.
  virtual void set_payment_status(std::int64_t payment_id, PaymentStatus status, std::string_view reason) = 0;
  // No more claim-based releases for this customer (an unconfirmed claim).
  virtual void flag_claims(std::int64_t customer_id, Instant at) = 0;
  virtual std::optional<Instant> claims_flagged_at(std::int64_t customer_id) = 0;
  // The customer's next evaluation is no later than its earliest open claim's expiry (a
  // decision sets next_eval from the stages alone, which know nothing of claims).
  // For a batch of customers at once.
  virtual void bring_forward_to_claim_expiry(std::span<const std::int64_t> customer_ids) = 0;
};

}  // namespace cobrador::store
