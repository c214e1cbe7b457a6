// The operator's desk face (docs/tasks.md): the tasks inbox, the contact log, the cause of an
// episode's non-payment, and cancellations awaiting their confirming call
// (lib/service/tasks, contacts, cancellation). Opening a task is part of AuditTrail, so that
// every face's user (the walk, the dispatcher, the bank import) can open one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/entities.hpp"
#include "policy/dunning_outcomes.hpp"
#include "store/lifecycle_store.hpp"

namespace cobrador::store {

struct TaskRecord {
  std::int64_t id = 0;
  std::string kind;
  std::string subject;
  std::string scope;
  std::string customer;  // ext id; empty when the task is about no customer
  std::string title;
  std::string details = "{}";  // JSON object
  Date due_on;
  std::string state = "open";  // open, done, dismissed
  std::string assignee;
  int attempts = 0;
  Instant created_at;
  std::string created_by;
  std::optional<Instant> closed_at;
  std::string closed_by;
  std::string outcome;
  std::string note;
};

struct TaskFilter {
  std::optional<std::string> kind;
  std::optional<std::string> state;     // open, done, dismissed; every state when unset
  std::optional<std::string> customer;  // ext id
  std::optional<std::string> assignee;
  int limit = 500;
};

// Open tasks of one kind, for /metrics.
struct OpenTasks {
  std::string kind;
  std::int64_t count = 0;
  Instant oldest_created_at;
};

struct ContactRecord {
  std::int64_t id = 0;
  std::int64_t customer_id = 0;
  std::string customer;  // ext id
  Instant at;
  std::string channel;    // phone, sms, email
  std::string direction;  // outbound, inbound
  std::string outcome;
  std::string cause;  // a cause of non-payment learned on it, or empty
  std::string note;
  std::string operator_name;  // the actor
  std::int64_t task_id = 0;   // the task the contact answered, or 0
};

// The cause of non-payment of a customer's episode.
struct EpisodeCause {
  std::int64_t episode_id = 0;
  int episode_number = 0;
  bool open = false;   // the episode is still open
  std::string cause;   // empty: none recorded
  std::string source;  // "bank:<reason code>", "contact:<id>"
  std::optional<Instant> at;
};

struct CancellationRequestRecord {
  std::int64_t id = 0;
  std::int64_t service_id = 0;
  std::string service;  // ext id
  std::int64_t customer_id = 0;
  std::string customer;  // ext id
  Instant requested_at;
  std::string requested_by;                     // the actor
  std::string contact;                          // the person who asked, as they named themselves
  std::string request;                          // the request as JSON (service/cancellation.cpp)
  std::string state = "awaiting_confirmation";  // confirmed, withdrawn, lapsed
  int attempts = 0;                             // confirming calls that did not reach the customer
  std::optional<Instant> closed_at;
  std::string closed_by;
  std::int64_t cancellation_id = 0;
};

// "I read this" on the customer's page (docs/customer-page.md): the evidence that the
// customer knew, kept beside the notice (the outbox row) it is about.
struct NoticeAcknowledgement {
  std::int64_t action_id = 0;  // the notice
  std::int64_t customer_id = 0;
  Instant at;
  std::string address;  // the address the page was asked from
  std::string source;   // the link it came from: "link:notice:<id>"
};

class DeskStore : public virtual LifecycleStore {
 public:
  // Records the acknowledgement; false, and nothing changed, when that notice has one (the
  // first is the evidence).
  virtual bool acknowledge_notice(const NoticeAcknowledgement& acknowledgement) = 0;
  virtual std::optional<NoticeAcknowledgement> notice_acknowledgement(std::int64_t action_id) = 0;

  virtual std::vector<TaskRecord> tasks(const TaskFilter& filter) = 0;
  virtual std::optional<TaskRecord> task(std::int64_t id) = 0;
  // An open task that is about `subject`, of `kind`.
  virtual std::optional<TaskRecord> open_task_of(std::string_view kind, std::string_view subject) = 0;
  // Closes an open task; false when it was not open (closed by someone else meanwhile).
  virtual bool close_task(std::int64_t id, std::string_view state, std::string_view outcome,
                          std::string_view note, Instant at, std::string_view actor) = 0;
  // Gives an open task to a person ("" takes it back); false when it is not open.
  virtual bool assign_task(std::int64_t id, std::string_view assignee) = 0;
  // Another attempt is due on `due_on` (a call that did not reach the customer).
  virtual void reschedule_task(std::int64_t id, Date due_on, int attempts, std::string_view note) = 0;
  virtual std::vector<OpenTasks> open_task_counts() = 0;

  virtual std::int64_t add_contact(const ContactRecord& contact) = 0;
  virtual std::vector<ContactRecord> contacts_of(std::int64_t customer_id) = 0;

  // The cause of the customer's open episode; else one learned since the last episode ended,
  // waiting for the next (episode_id 0); else the latest episode's; nullopt: none of these.
  virtual std::optional<EpisodeCause> episode_cause(std::int64_t customer_id) = 0;
  // The episodes that started from `from` to before `to`, each with what "did dunning work?"
  // asks of it (policy/dunning_outcomes.hpp), in the order they started (by day, then id).
  virtual std::vector<policy::EpisodeFacts> episode_facts(Date from, Date to) = 0;

  // Inserts unless the service has a request awaiting confirmation: that one comes back, with false.
  virtual std::pair<CancellationRequestRecord, bool> add_cancellation_request(
      const CancellationRequestRecord& request) = 0;
  virtual std::optional<CancellationRequestRecord> cancellation_request(std::int64_t id) = 0;
  virtual std::optional<CancellationRequestRecord> awaiting_cancellation_request(std::int64_t service_id) = 0;
  virtual std::vector<CancellationRequestRecord> awaiting_cancellation_requests() = 0;
  virtual void set_cancellation_request_attempts(std::int64_t id, int attempts) = 0;
  // Closes an awaiting request as confirmed (with the cancellation it became), withdrawn or lapsed.
  virtual void close_cancellation_request(std::int64_t id, std::string_view state,
                                          std::int64_t cancellation_id, Instant at,
                                          std::string_view actor) = 0;
};

}  // namespace cobrador::store
