// The audit trail and the operator's alerts: what every face's user writes down beside its
// changes, in the same transaction.
#pragma once

#include <string_view>
#include <vector>

#include "domain/entities.hpp"
#include "store/transactions.hpp"

namespace cobrador::store {

class AuditTrail : public virtual Transactions {
 public:
  // The audit trail, append-only. audit_of("customer:c-1") lists one customer's story.
  virtual void audit(const AuditEntry& entry) = 0;
  virtual std::vector<AuditEntry> audit_of(std::string_view subject) = 0;
  // Something the operator must look at (money that matched no invoice).
  virtual void add_alert(Instant at, std::string_view kind, std::string_view subject,
                         std::string_view message) = 0;
};

}  // namespace cobrador::store
