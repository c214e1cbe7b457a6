// Implements policy/claim_expiry.hpp.
#include "policy/claim_expiry.hpp"

#include "policy/policy.hpp"

namespace cobrador::policy {

Date claim_expiry(const Policy& policy, Instant claimed_at) {
  return policy.local_date(claimed_at) + date::days{policy.payments.claims.expire_after_days};
}

bool claim_expired(PaymentStatus status, std::optional<Date> expires_on, Date today) {
  return status == PaymentStatus::claimed && expires_on && *expires_on <= today;
}

}  // namespace cobrador::policy
