// After a lock for non-payment, payment alone does not bring a service back (SPEC §4): the
// operator reactivates it once reactivation_after_lock is met (`cobradorctl reactivate`), and
// the customer sees what that requires (GET /v1/customers/{id}).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "policy/policy.hpp"
#include "policy/return_terms.hpp"
#include "service/refusal.hpp"
#include "store/lifecycle_store.hpp"

namespace cobrador::service {

struct ReactivationTerms {
  bool pay_all_debts = true;
  int months_upfront = 0;
  std::map<std::string, Money> owed;       // by currency: what is still open
  std::vector<std::string> open_invoices;  // their ext ids
  std::vector<std::string> locked_services;
  Date locked_on;             // the earliest open lock: the money counts from this day on
  policy::ReturnTerms money;  // what the payments since then must cover (months_upfront > 0)
  std::string summary;        // the requirement in words
};

// nullopt when none of the customer's services is locked.
std::optional<ReactivationTerms> reactivation_terms(store::LifecycleStore& store,
                                                    const policy::Policy& policy, std::int64_t customer_id);
nlohmann::json to_json(const ReactivationTerms& terms);

// Queues the unsuspension of a locked service, inside the caller's transaction. Refused
// unless pay_all_debts holds (nothing owed) and, with months_upfront N, the confirmed payments
// received since the lock cover what was owed at the lock plus N times the recurring prices of
// the customer's locked services (policy/return_terms.hpp); a locked service whose recurring
// price was never imported is refused (recurring_amount_unknown), never taken as free.
Decided<Action> reactivate_locked(store::LifecycleStore& store, const policy::Policy& policy,
                                  const std::string& service_id, const std::string& reason, Instant now,
                                  const std::string& actor);

}  // namespace cobrador::service
