// The operator's desk (SPEC §11, docs/tasks.md), shared by cobradorctl (`tasks`, `task
// done|dismiss`, `contact`) and the API (GET /v1/tasks, POST /v1/tasks/{id}/outcome,
// POST /v1/customers/{id}/contacts). Each runs inside the caller's transaction.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "policy/policy.hpp"
#include "policy/tasks.hpp"
#include "service/cancellation.hpp"
#include "service/refusal.hpp"
#include "store/desk_store.hpp"

namespace cobrador::service {

// The inbox, filtered; a kind or state nobody knows is a 400 naming the words that are.
Decided<std::vector<store::TaskRecord>> list_tasks(store::DeskStore& store, const store::TaskFilter& filter);

struct TaskClosing {
  std::int64_t task_id = 0;
  policy::Closing closing = policy::Closing::done;
  std::string outcome;
  std::string note;
  // For a confirm_cancellation call confirmed: the reason code the customer gave, and the
  // retention offers made on the call.
  std::string reason_code;
  std::vector<std::string> retention_offers;
};

struct TaskClosed {
  store::TaskRecord task;                          // as it is now (still open after a retry)
  std::optional<ConfirmationResult> confirmation;  // a confirm_cancellation call's effect
};

// Closes a task with its outcome. A confirm_cancellation task's outcome is the call's: it
// takes the cancellation's next step (record_confirmation_call); `not_reached` keeps the task
// open with its next attempt due.
Decided<TaskClosed> close_task(store::DeskStore& store, const policy::Policy& policy,
                               const TaskClosing& closing, Instant now, const std::string& actor);

// Gives an open task to a person (`assignee` empty: to nobody), audited.
Decided<store::TaskRecord> assign_task(store::DeskStore& store, std::int64_t task_id,
                                       const std::string& assignee, Instant now, const std::string& actor);

struct ContactInput {
  std::string customer;  // ext id
  std::string channel;   // phone, sms, email
  std::string direction = "outbound";
  std::string outcome;
  std::string cause;  // optional: the cause of non-payment learned
  std::string note;
  std::int64_t task_id = 0;  // the task this contact answers, or 0
};

// Records what an operator learned; a cause sets (or corrects) the episode's.
Decided<store::ContactRecord> record_contact(store::DeskStore& store, const ContactInput& input, Instant now,
                                             const std::string& actor);

nlohmann::json to_json(const store::TaskRecord& task);
nlohmann::json to_json(const store::ContactRecord& contact);

}  // namespace cobrador::service
