// Implements the outbox row reader.
#include "store/sql/action_row.hpp"

namespace cobrador::store::sql {

Action read_action(const Statement& stmt) {
  Action a;
  a.id = stmt.int64(0);
  a.key = stmt.text(1);
  a.kind = parse_action_kind(stmt.text(2)).value_or(ActionKind::event);
  a.customer_id = stmt.int64(3);
  a.episode_id = stmt.int64(4);
  a.stage = stmt.text(5);
  a.target = stmt.text(6);
  a.payload = stmt.text(7);
  a.state = parse_action_state(stmt.text(8)).value_or(ActionState::pending);
  a.attempts = static_cast<int>(stmt.int64(9));
  a.next_attempt_at = from_unix(stmt.int64(10));
  a.last_error = stmt.text(11);
  a.created_at = from_unix(stmt.int64(12));
  if (const auto done = stmt.optional_int64(13)) a.done_at = from_unix(*done);
  return a;
}

}  // namespace cobrador::store::sql
