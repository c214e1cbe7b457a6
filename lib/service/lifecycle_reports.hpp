// The reports of the end of relationships, for cobradorctl: the collections export (CSV for a
// collections agency), the list of cancellations with their reasons, and the monthly summary
// of cancellations by reason code and of suspensions, reactivations, locks and purges.
#pragma once

#include <span>
#include <string>

#include <nlohmann/json.hpp>

#include "policy/dunning_outcomes.hpp"
#include "policy/policy.hpp"
#include "store/desk_store.hpp"
#include "util/result.hpp"

namespace cobrador::service {

// RFC 4180 CSV with a header: customer_id, name, emails, phones, currency, amount_owed,
// invoices, oldest_due_on, locked_on, services. One row per customer and currency.
std::string collections_csv(store::LifecycleStore& store);

// The charges the billing system is to invoice (last-chance backups whose backup is done), as
// RFC 4180 CSV with a header: charge_id, customer_id, service_id, kind, amount, currency,
// description, charged_on (the policy's zone). Inside the caller's transaction, the charges
// written are marked exported: each is handed over once.
std::string export_charges_csv(store::LifecycleStore& store, const policy::Policy& policy, Instant now);

// "YYYY-MM" in the policy's zone -> the summary as JSON (month, cancellations_by_reason,
// cancellations, suspensions, reactivations, locks, purges). An Error names a bad month.
Result<nlohmann::json> monthly_report(store::DeskStore& store, const policy::Policy& policy,
                                      const std::string& month);
// The report's half about episodes, from their facts (the console's Dunning page reads six
// months at once and gives each month's here): episodes_started, episodes_by_end, recovered,
// days_to_recovery, recovery_by_last_stage, episodes_by_cause.
nlohmann::json episodes_report(const policy::Policy& policy, std::span<const policy::EpisodeFacts> facts);

}  // namespace cobrador::service
