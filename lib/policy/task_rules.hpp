// The operator's desk as the policy sees it (SPEC §11, docs/tasks.md): the `tasks:` section of
// policy.yaml, and the task a rule asks the store to open. A task is work for a person; the
// rules that open one are pure functions (policy/tasks.hpp), the store keeps it once per kind,
// subject and scope.
#pragma once

#include <string>

#include "domain/date.hpp"

namespace cobrador::policy {

// `tasks:` in policy.yaml. A kind that opens on a rule of its own is off unless its entry is
// present, except the two a phone-confirmed cancellation needs (confirm_cancellation and
// cancellation_unanswered); what used to be an alert (dead actions, unmatched bank entries,
// expired claims...) always opens one.
struct TaskRules {
  // The call that confirms a cancellation (cancellation.confirm_by: phone).
  struct ConfirmCancellation {
    int due_days = 0;      // after the request
    int retry_days = 1;    // a `not_reached` call: the next attempt is due this many days on
    int max_attempts = 3;  // unreached this many times: the request lapses, never executed
  } confirm_cancellation;
  // A call to learn why the customer does not pay, when an episode reaches `at_stage` with no
  // cause recorded yet.
  struct AskCause {
    bool enabled = false;
    std::string at_stage;
    int due_days = 0;
  } ask_cause;
  // A call after the last-chance notice before a purge ("I did not receive the e-mail").
  struct PurgeFollowUp {
    bool enabled = false;
    int due_days = 1;  // after the notice is queued
  } purge_follow_up;
  // Finance: a cancellation took effect while invoices were still open; those more than
  // `charge_after_days` overdue are marked "charge the customer".
  struct OpenInvoicesAtCancellation {
    bool enabled = false;
    int charge_after_days = 15;
    int due_days = 0;
  } open_invoices_at_cancellation;
  // A customer asked to cancel and stopped answering: the confirming calls ran out.
  struct CancellationUnanswered {
    bool enabled = true;
    int due_days = 0;
  } cancellation_unanswered;
  // "Always the same subscribers": a customer who started `episodes` episodes within
  // `within_months` months is invited to cancel.
  struct InviteToCancel {
    bool enabled = false;
    int episodes = 3;
    int within_months = 12;
    int due_days = 0;
  } invite_to_cancel;
};

// A task a rule asks for. The store opens it unless one of the same kind and subject is open,
// or one of the same kind, subject and scope ever was: a rule that holds every day opens it once.
struct TaskRequest {
  std::string kind;
  std::string subject;  // "customer:c1", "service:s1", "bank_entry:…", "action:…", "cancellation_request:7"
  std::string scope;    // what "once" means: "episode:3", "cancellation:5"; empty: once while open
  std::string customer;  // the customer's ext id, when the task is about one
  Date due_on;
  std::string title;    // what to do, in words, for the inbox
  std::string details;  // facts as a JSON object
};

}  // namespace cobrador::policy
