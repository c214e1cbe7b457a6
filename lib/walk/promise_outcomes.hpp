// What the walk does around a decision for trust releases and payment claims: before it,
// claims left unconfirmed past their expiry are rejected; after it, the open promise is
// closed as kept (the episode ended: the debt was paid) or broken (its deadline passed unpaid).
#pragma once

#include <span>
#include <string_view>

#include "policy/decide.hpp"
#include "policy/policy.hpp"
#include "store/dunning_store.hpp"
#include "store/promise_store.hpp"

namespace cobrador::walk {

// Claims of the customer still `claimed` on or after their expiry day become `rejected` with
// the reason "unconfirmed"; the customer is flagged (no more claim-based releases), the
// operator alerted, and a release the claim caused ends today (the walk's decision then
// suspends again); the customer is sent claim_unconfirmed (once per claim). Inside the
// caller's transaction, before the walk's decision (which sets the next evaluation).
void expire_claims(store::DunningStore& store, const policy::Policy& policy,
                   std::span<const std::int64_t> customer_ids, Instant now, std::string_view actor);

// After `decision` about `customer` was applied: closes the open promise it settled.
void record_promise_outcome(store::PromiseStore& store, const policy::CustomerSnapshot& customer,
                            const policy::Decision& decision, Instant now, std::string_view actor);

}  // namespace cobrador::walk
