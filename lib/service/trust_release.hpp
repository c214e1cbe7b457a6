// Granting a trust release ("liberação por confiança", SPEC §3-§5): one function shared by
// `cobradorctl trust-release`, POST /v1/customers/{id}/trust-release and the automatic
// release of an eligible payment claim. Eligibility is the pure policy::trust_release_eligibility
// over the customer's promise history; a grant reactivates the services suspended for
// non-payment (or postpones a suspension not yet carried out), records the promise and pauses
// the episode's stages until its deadline, all inside the caller's transaction, audited.
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "domain/promise.hpp"
#include "policy/policy.hpp"
#include "store/dunning_store.hpp"
#include "util/result.hpp"

namespace cobrador::service {

struct TrustReleaseRequest {
  std::string customer;       // external id
  std::optional<int> days;    // an operator's choice of length; the policy's otherwise
  std::string reason;         // why, for the audit trail (required when forced)
  bool force = false;         // an operator overrides the eligibility rules (never the client area)
  std::string claim_payment;  // the payment claim that asks for it, "" for a direct request
  std::string actor;          // operator:<name>, customer, system
};

struct TrustReleaseGranted {
  Promise promise;
  std::vector<std::string> unsuspended;  // services whose unsuspend was queued
  std::vector<std::string> postponed;    // services whose queued suspension was cancelled
  std::string overridden_rule;           // forced: the rule that would have refused
};

// The rule that refuses, as a stable code (the policy key, or open_promise, nothing_to_release,
// claims_flagged) and a sentence for people.
struct TrustReleaseRefused {
  std::string rule;
  std::string message;
};

using TrustReleaseOutcome = std::variant<TrustReleaseGranted, TrustReleaseRefused>;

// An Error for a request that names no customer we know or a length out of range (1..366);
// otherwise the grant or the refusal. Runs inside the caller's transaction.
Result<TrustReleaseOutcome> grant_trust_release(store::DunningStore& store, const policy::Policy& policy,
                                                const TrustReleaseRequest& request, Instant now);

// What grant_trust_release would answer now (the deadline, or the rule that refuses), run in a
// transaction that is rolled back: a page shows it before the click, and the page and the grant
// never disagree. The caller must not be inside a transaction.
Result<TrustReleaseOutcome> preview_trust_release(store::DunningStore& store, const policy::Policy& policy,
                                                  const TrustReleaseRequest& request, Instant now);

}  // namespace cobrador::service
