// A cancellation asked by the customer (SPEC §3, §4, §5 `cancellation`) and its withdrawal
// (re-engagement), shared by `cobradorctl cancel` and POST/DELETE
// /v1/services/{id}/cancellation. Each runs inside the caller's transaction.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "policy/policy.hpp"
#include "service/refusal.hpp"
#include "store/desk_store.hpp"

namespace cobrador::service {

struct CancellationRequest {
  std::string service;      // ext id
  std::string reason_code;  // required: [a-z0-9_-], up to 64 characters
  std::string note;
  std::string channel;                        // how the customer asked: api, phone, email, chat, counter...
  std::vector<std::string> retention_offers;  // what was offered to keep them
  std::string scope = "partial";              // partial: this service; total: all of the customer's
  std::optional<Date> prepaid_until;          // the billing system's word; else derived
  // The person who asked, as they named themselves (a name, an e-mail, a phone): checked
  // against the customer's responsible persons when the billing system names any.
  std::string contact;
  bool force = false;      // the operator overrides the responsible-person check...
  std::string force_note;  // ...and says why (required with force)
};

struct CancellationOutcome {
  std::vector<store::CancellationRecord> records;  // the path's service first
  bool created = false;  // false: an open cancellation (or request) existed and is returned as it was
  // cancellation.confirm_by: phone: the request, awaiting its confirming call (records empty).
  std::optional<store::CancellationRequestRecord> awaiting;
};

// With cancellation.confirm_by: phone the request is recorded as awaiting_confirmation with a
// call task (tasks.confirm_cancellation) and takes effect only on the call's `confirmed`.
Decided<CancellationOutcome> request_cancellation(store::DeskStore& store, const policy::Policy& policy,
                                                  const CancellationRequest& request, Instant now,
                                                  const std::string& actor);

// What the confirming call of a request awaiting confirmation learned.
struct ConfirmationCall {
  std::int64_t request_id = 0;
  std::string outcome;      // confirmed, withdrawn, not_reached
  std::string reason_code;  // required with confirmed: the reason the customer gave
  std::string note;
  std::vector<std::string> retention_offers;  // made on the call
};

struct ConfirmationResult {
  std::string state;  // cancelled (confirmed), withdrawn, awaiting_confirmation (retry), lapsed
  std::vector<store::CancellationRecord> records;  // confirmed: the cancellations it became
  std::optional<Date> next_attempt_on;             // not_reached with attempts left
  std::string rule;
};

// Records the call: confirmed makes the cancellation, dated by the day of the request (not of
// the call); withdrawn closes the request; not_reached schedules another attempt, and after
// max_attempts the request lapses (audited, never executed). Closes or moves the call task.
Decided<ConfirmationResult> record_confirmation_call(store::DeskStore& store, const policy::Policy& policy,
                                                     const ConfirmationCall& call, Instant now,
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

// What `cancel --undo` and DELETE /v1/services/{id}/cancellation withdrew: a request still
// awaiting its confirming call (closed, with its call), else the cancellation itself
// (withdraw_cancellation's rules).
struct Withdrawal {
  std::optional<store::CancellationRecord> cancellation;
  std::optional<store::CancellationRequestRecord> request;
  nlohmann::json to_json() const;
  const std::string& service() const { return cancellation ? cancellation->service : request->service; }
};
Decided<Withdrawal> withdraw(store::DeskStore& store, const policy::Policy& policy,
                             const std::string& service_id, Instant now, const std::string& actor);

// The last day a paid invoice billing `service` covers: a month from its issue day (the
// billing system's period when it says none). nullopt when nothing paid bills it.
std::optional<Date> derived_prepaid_until(store::Book& store, const Service& service);

nlohmann::json to_json(const store::CancellationRecord& record);
nlohmann::json to_json(const store::CancellationRequestRecord& request);

}  // namespace cobrador::service
