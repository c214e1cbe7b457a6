// The daily walk's second half: the end of relationships, by date rather than by customer.
// Cancelled services whose end of service has passed are deactivated through their panel;
// offer_before_purge_days before a purge every contact gets the last-chance backup offer;
// on the purge day the service is purged — unless a backup of it is in flight, or the offer
// went out only today, in which case the purge waits for the next walk (docs/lifecycle.md).
#pragma once

#include "policy/policy.hpp"
#include "store/lifecycle_store.hpp"

namespace cobrador::walk {

struct LifecycleReport {
  int deactivations = 0;   // cancellation deactivations queued
  int offers = 0;          // last-chance notices queued
  int purges = 0;          // purges queued
  int purges_waiting = 0;  // purges due that wait (a backup in flight, an offer just sent)
};

// Inside the caller's transaction; writes outbox and audit rows only.
LifecycleReport walk_lifecycle(store::LifecycleStore& store, const policy::Policy& policy, Instant now);

}  // namespace cobrador::walk
