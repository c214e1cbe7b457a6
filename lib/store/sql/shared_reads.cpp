// Implements the readers of store/sql/shared_reads.hpp.
#include "store/sql/shared_reads.hpp"

namespace cobrador::store::sql {

Payment read_payment(Row& row) {
  Payment p;
  row.into(p.id, p.ext_id, p.invoice_id, p.invoice_ext_id, p.amount, p.method, p.source, p.reference,
           p.evidence);
  p.status = row.parsed(parse_payment_status, PaymentStatus::pending);
  row.into(p.received_on, p.return_reason);
  return p;
}

Action read_action(Row& row) {
  Action a;
  row.into(a.id, a.key);
  a.kind = row.parsed(parse_action_kind, ActionKind::event);
  row.into(a.customer_id, a.episode_id, a.stage, a.target, a.payload);
  a.state = row.parsed(parse_action_state, ActionState::pending);
  row.into(a.attempts, a.next_attempt_at, a.last_error, a.created_at, a.done_at);
  return a;
}

}  // namespace cobrador::store::sql
