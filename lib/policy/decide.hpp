// The dunning decision: a pure function from a customer's snapshot, the policy and a moment
// to the stage transitions and outbox actions due. No I/O, no clock; the walk and the event
// handlers (payments, imports) call it and write what it returns.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/date.hpp"
#include "domain/entities.hpp"
#include "policy/policy.hpp"
#include "policy/snapshot.hpp"
#include "policy/task_rules.hpp"

namespace cobrador::policy {

// A day far in the future: the customer needs no evaluation until something changes.
inline const Date kNever = Date{date::days{1'000'000}};
// The earliest day there is: whichever walk comes next looks at the customer.
inline const Date kNextWalk = Date{date::days{0}};

struct PlannedAction {
  ActionKind kind = ActionKind::notify;
  std::string stage;    // the stage that caused it, or "end" for an episode's end
  std::string target;   // service ext id, or "email:<address>" / "sms:<number>"
  std::string key;      // idempotency key: customer:episode:stage:kind:target
  std::string payload;  // JSON for the dispatcher
  Instant not_before;   // SMS in quiet hours waits for the window to open
};

// A line of the audit trail that explains the decision: which rule, which invoice, which date.
struct Explanation {
  std::string event;  // stage_run, stage_superseded, stage_held, episode_started, episode_ended
  std::string stage;
  std::string rule;  // the policy rule or fact that decided it, in words
};

// The operator alert a suspension held for a warning that never went out raises.
inline constexpr std::string_view kWarningUndelivered = "warning_undelivered";
// The explanation of a warning queued again to the customer's contacts of today; the store
// writes it only when that queued something new (a corrected or added contact).
inline constexpr std::string_view kWarningQueuedAgain = "warning_queued_again";

// Something the operator must look at. The store writes an alert once per kind and subject:
// a decision repeated every day raises it once.
struct OperatorAlert {
  std::string kind;
  std::string subject;  // "customer:<ext id>:episode:<number>"
  std::string message;
};

struct Decision {
  bool start_episode = false;
  int episode_number = 0;   // of the episode the actions belong to
  Date episode_started_on;  // the day after the oldest overdue invoice fell due
  bool end_episode = false;
  std::vector<std::string> stages_run;         // names, in policy order
  std::vector<std::string> stages_superseded;  // due, but a later stage was due the same day
  std::vector<PlannedAction> actions;
  std::vector<Explanation> explanations;
  std::vector<OperatorAlert> alerts;
  std::vector<TaskRequest> tasks;  // opened by the store once per kind, subject and scope
  Date next_evaluation = kNever;
  std::int64_t broken_promise = 0;  // the open promise whose deadline passed unpaid today

  bool changes_anything() const {
    return start_episode || end_episode || !stages_run.empty() || !stages_superseded.empty();
  }
};

enum class Occasion {
  walk,   // the daily walk: stages may run
  event,  // a payment, an import, a voided invoice: only an episode's end is decided now
};

// Overdue facts of a snapshot on a day; exposed for show/forecast and for tests.
struct Overdue {
  std::vector<const OpenInvoice*> invoices;  // due before `today`, oldest first
  int days = 0;                              // days since the oldest fell due
};
Overdue overdue_on(const CustomerSnapshot& customer, Date today);
// The balances of `invoices` summed per currency, as notices write them: "120.00 BRL + 5.00 USD".
std::string amount_due(const std::vector<const OpenInvoice*>& invoices);

Decision decide(const CustomerSnapshot& customer, const Policy& policy, Instant now,
                Occasion occasion = Occasion::walk);

// Whether the customer's open episode has taken `service_ext_id` off for non-payment: a
// suspend or lock stage of it ran and covers that service. Lifting a suspension made by hand
// must then leave the service suspended for non_payment, for a payment to lift.
bool suspended_by_episode(const CustomerSnapshot& customer, const Policy& policy, Instant now,
                          std::string_view service_ext_id);
// The JSON a panel action carries (SPEC §7): type service.suspend / service.unsuspend, reason
// non_payment, the service and its customer; `mode` only for a suspension.
std::string panel_action_payload(const CustomerSnapshot& customer, std::string_view type,
                                 const Service& service, std::string_view mode);

}  // namespace cobrador::policy
