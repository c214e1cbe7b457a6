// The audit trail and the operator's tasks: what every face's user writes down beside its
// changes, in the same transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "domain/entities.hpp"
#include "policy/task_rules.hpp"
#include "store/transactions.hpp"

namespace cobrador::store {

class AuditTrail : public virtual Transactions {
 public:
  // The audit trail, append-only. audit_of("customer:c-1") lists one customer's story.
  virtual void audit(const AuditEntry& entry) = 0;
  // A row about the customer of id `customer_id` (its subject "customer:<ext id>"), indexed by
  // that id in the order the walk and an import write them, not by its subject (migration 15).
  virtual void audit_customer(const AuditEntry& entry, std::int64_t customer_id) = 0;
  virtual std::vector<AuditEntry> audit_of(std::string_view subject) = 0;
  // The newest entry about `subject` (a source's last sync pass), read by the index alone.
  virtual std::optional<AuditEntry> last_audit_of(std::string_view subject) = 0;
  // Something the operator must look at (money that matched no invoice): kept in the alerts
  // log, and opened as a task of the same kind unless one about the subject is open.
  virtual void add_alert(Instant at, std::string_view kind, std::string_view subject,
                         std::string_view message) = 0;
  // Opens a task unless one of its kind and subject is open, or one of its kind, subject and
  // scope ever was (docs/tasks.md); its id when it opened.
  virtual std::optional<std::int64_t> open_task(const policy::TaskRequest& task, Instant now,
                                                std::string_view actor) = 0;
  // The cause of the customer's non-payment (docs/tasks.md): set on the open episode; with no
  // episode open, kept for the episode that starts for an invoice due on or before `at`'s day.
  // A bank's cause (`from_operator` false) never replaces one an operator recorded; an
  // operator's replaces any, and with no episode open corrects the latest one.
  virtual void note_cause(std::int64_t customer_id, std::string_view cause, std::string_view source,
                          Instant at, bool from_operator) = 0;
};

}  // namespace cobrador::store
