// The cause of a non-payment (SPEC §11, docs/tasks.md), as the bank names it: a returned debit's
// reason code sets the cause of the customer's episode (never one an operator recorded).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "domain/date.hpp"
#include "store/audit_trail.hpp"

namespace cobrador::service {

// Notes the cause a returned debit's `reason_code` names, audited as `actor`; nothing for a
// code the table does not know (the operator's call says why).
void note_return_cause(store::AuditTrail& store, std::int64_t customer_id, const std::string& customer_ext_id,
                       std::string_view reason_code, Instant now, std::string_view actor);

}  // namespace cobrador::service
