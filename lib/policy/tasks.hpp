// The rules of the operator's desk, as pure functions (docs/tasks.md): which kinds of task
// exist and how each may be closed, the causes of a non-payment and the bank codes that name
// one, the next step of a cancellation's confirming call, and the rules that open tasks.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "domain/date.hpp"
#include "domain/money.hpp"
#include "policy/task_rules.hpp"

namespace cobrador::policy {

struct Policy;
struct CustomerSnapshot;

// A kind of task, and the outcomes that close it as done. Any task may be dismissed with one of
// kDismissOutcomes.
struct TaskKind {
  std::string_view name;
  std::string_view meaning;
  std::vector<std::string_view> outcomes;
};

std::span<const TaskKind> task_kinds();
const TaskKind* find_task_kind(std::string_view name);
inline constexpr std::string_view kDismissOutcomes[]{"not_needed", "duplicate", "wrong"};

// How a task is closed: done (the work was done) or dismissed (there was nothing to do).
enum class Closing { done, dismissed };

// Nothing when `outcome` may close a task of `kind` that way, else what is wrong, naming the
// outcomes that may.
std::optional<std::string> check_outcome(std::string_view kind, Closing closing, std::string_view outcome);

// The causes of a non-payment (SPEC §11), one per episode.
std::span<const std::string_view> causes();
bool is_cause(std::string_view code);
// The cause a bank's return reason names: ISO 20022 (MS03, AM04 → insufficient_funds; AC04 →
// account_closed; MD06 → mandate_refused...) and FEBRABAN's automatic-debit codes ("01" →
// insufficient_funds...); nullopt for a code the table does not know (docs/tasks.md).
std::optional<std::string_view> cause_of_return(std::string_view reason_code);

// What an operator learned on a contact: the outcomes a contact may have.
std::span<const std::string_view> contact_outcomes();
bool is_contact_outcome(std::string_view code);
inline constexpr std::string_view kContactChannels[]{"phone", "sms", "email"};
inline constexpr std::string_view kContactDirections[]{"outbound", "inbound"};

// The next step of a cancellation awaiting its confirming call, after a call with `outcome`
// (confirmed, withdrawn, not_reached); `attempts` counts the calls before this one.
struct ConfirmationStep {
  enum class Kind { cancel, withdraw, retry, lapse } kind = Kind::cancel;
  Date next_attempt_on;  // retry: when the task is due again
  std::string rule;      // in words, for the audit trail
};
ConfirmationStep confirmation_step(const TaskRules::ConfirmCancellation& rules, int attempts,
                                   std::string_view outcome, Date today);

// The call task of a cancellation awaiting confirmation.
TaskRequest confirm_cancellation_task(const TaskRules::ConfirmCancellation& rules, std::int64_t request_id,
                                      const std::string& customer, const std::string& service,
                                      const std::string& contact, Date requested_on);
// The task that says a request lapsed unconfirmed (the customer stopped answering).
std::optional<TaskRequest> cancellation_unanswered_task(const TaskRules& rules, std::int64_t request_id,
                                                        const std::string& customer,
                                                        const std::string& service, int attempts, Date today);

// True when the cause learned before an episode started explains the episode starting on
// `started_on`: it was learned on or after the day its oldest invoice fell due (the day before
// the episode started), so a cause left from an earlier debt never explains a new one. The
// store applies the same rule when it writes the new episode (store/sql/sql_store_decisions).
bool pending_cause_applies(const CustomerSnapshot& customer, Date started_on);

// A call to learn the cause when the episode ran `stage` and has none yet.
std::optional<TaskRequest> ask_cause_task(const TaskRules& rules, const std::string& customer, int episode,
                                          const std::vector<std::string>& stages_run, bool has_cause,
                                          Date today);

// The follow-up call after the last-chance notice of a purge; `origin` is the purge's
// ("cancellation:5", "lock:2").
std::optional<TaskRequest> purge_follow_up_task(const TaskRules& rules, const std::string& customer,
                                                const std::string& service, const std::string& origin,
                                                Date purge_on, Date today);

// An invoice still open when a cancellation takes effect.
struct OpenInvoiceFact {
  std::string invoice;
  Date due_on;
  Money balance;
};
std::optional<TaskRequest> open_invoices_task(const TaskRules& rules, const std::string& customer,
                                              const std::string& service, std::int64_t cancellation_id,
                                              const std::vector<OpenInvoiceFact>& invoices, Date today);

// The invitation to cancel of a customer who started `episodes_in_window` episodes (this one
// included) within the rule's months before `today`.
std::optional<TaskRequest> invite_to_cancel_task(const TaskRules& rules, const std::string& customer,
                                                 int episode, int episodes_in_window, Date today);
// The first day of the rule's window that ends `today`.
Date invite_window_start(const TaskRules& rules, Date today);

}  // namespace cobrador::policy
