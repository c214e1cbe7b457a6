// When a payment the customer reported (a claim) stops counting: it must be confirmed by the
// bank within payments.claims.expire_after_days days (docs/policy.md), else the walk of its
// expiry day rejects it as unconfirmed.
#pragma once

#include <optional>

#include "domain/date.hpp"
#include "domain/entities.hpp"

namespace cobrador::policy {

struct Policy;

// The expiry day of a claim made at `claimed_at`, in the policy's zone.
Date claim_expiry(const Policy& policy, Instant claimed_at);

// True when a payment with this status and expiry day is a claim the walk of `today` rejects.
bool claim_expired(PaymentStatus status, std::optional<Date> expires_on, Date today);

}  // namespace cobrador::policy
