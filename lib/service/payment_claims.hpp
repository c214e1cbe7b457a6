// Payments reported by customers ("I paid, here is the receipt") and the operator's review of
// unconfirmed payments. A claim is recorded as a payment with status `claimed`: it never counts
// as money (balances count confirmed payments only). With payments.claims.release_days > 0 an
// eligible claimant gets that trust release (service::grant_trust_release); a claim nobody
// confirms within expire_after_days is rejected as "unconfirmed" by the walk
// (walk::expire_claims). Shared by POST /v1/customers/{id}/payment-claims and cobradorctl.
#pragma once

#include <optional>
#include <string>

#include "domain/entities.hpp"
#include "policy/policy.hpp"
#include "service/trust_release.hpp"
#include "store/store.hpp"
#include "util/result.hpp"

namespace cobrador::service {

struct PaymentClaim {
  std::string customer;                 // external id
  std::string invoice;                  // "" = the customer's oldest open invoice
  std::string amount;                   // decimal string in major units: "49.90"
  std::optional<std::string> currency;  // must be the invoice's when given
  Date paid_on;
  std::string method;
  std::string reference;  // the customer's reference of the transfer; one claim per reference
  std::string proof_url;  // where the client area keeps the receipt; "" = none
  std::string actor = "customer";
  std::string source;  // where the request came from, for the audit trail
};

// Why a claim was not recorded: code (unknown_customer, invalid_field, no_open_invoice,
// duplicate_claim), a message that starts with the field at fault, and that field.
struct ClaimRefusal {
  std::string code;
  std::string message;
  std::string field;
};

struct ClaimRecorded {
  Payment payment;
  Date expires_on;
  std::optional<TrustReleaseOutcome> release;  // when the policy releases claimants
};

using ClaimOutcome = std::variant<ClaimRecorded, ClaimRefusal>;

// Records the claim inside the caller's transaction and, when the policy says so, asks for
// the claimant's trust release.
ClaimOutcome record_claim(store::Store& store, const policy::Policy& policy, const PaymentClaim& claim,
                          Instant now);

enum class Review { confirm, reject };

// `cobradorctl payment confirm|reject PAYMENT --reason TEXT`: a claimed or pending payment
// becomes confirmed (and the customer is settled in the same transaction: a debt now paid
// ends the episode, queues the unsuspensions and keeps the open promise) or rejected.
// An Error for an unknown payment or one in another state.
Result<Payment> review_payment(store::Store& store, const policy::Policy& policy, const std::string& payment,
                               Review review, const std::string& reason, Instant now,
                               const std::string& actor);

}  // namespace cobrador::service
