// A cancellation asked by the customer (SPEC §3, §4, §5 `cancellation`) and its withdrawal
// (re-engagement), shared by `cobradorctl cancel` and POST/DELETE
// /v1/services/{id}/cancellation. Each runs inside the caller's transaction.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "policy/policy.hpp"
#include "service/refusal.hpp"
#include "store/lifecycle_store.hpp"

namespace cobrador::service {

struct CancellationRequest {
  std::string service;      // ext id
  std::string reason_code;  // required: [a-z0-9_-], up to 64 characters
  std::string note;
  std::string channel;                        // how the customer asked: api, phone, email, chat, counter...
  std::vector<std::string> retention_offers;  // what was offered to keep them
  std::string scope = "partial";              // partial: this service; total: all of the customer's
  std::optional<Date> prepaid_until;          // the billing system's word; else derived
};

struct CancellationOutcome {
  std::vector<store::CancellationRecord> records;  // the path's service first
  bool created = false;  // false: an open cancellation existed and is returned as it was
};

Decided<CancellationOutcome> request_cancellation(store::LifecycleStore& store, const policy::Policy& policy,
                                                  const CancellationRequest& request, Instant now,
                                                  const std::string& actor);

// Re-engagement: allowed until the purge, once the current period is paid (no invoice issued
// on or before today has a balance) and, after the end of service, the new one too (a paid
// invoice covers today, or the payments since the end cover one recurring_amount: 409
// period_fee_unpaid / recurring_amount_unknown otherwise). A service already deactivated is
// unsuspended through its panel; one still running is simply active again.
Decided<store::CancellationRecord> withdraw_cancellation(store::LifecycleStore& store,
                                                         const policy::Policy& policy,
                                                         const std::string& service_id, Instant now,
                                                         const std::string& actor);

// The last day a paid invoice billing `service` covers: a month from its issue day (the
// billing system's period when it says none). nullopt when nothing paid bills it.
std::optional<Date> derived_prepaid_until(store::Book& store, const Service& service);

nlohmann::json to_json(const store::CancellationRecord& record);

}  // namespace cobrador::service
