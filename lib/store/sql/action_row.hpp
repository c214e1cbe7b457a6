// One outbox row as an Action: the columns every read of `actions` selects, and the reader
// that turns a stepped statement into the value, so that the walk's reads and the
// dispatcher's claims cannot drift apart.
#pragma once

#include <string_view>

#include "domain/entities.hpp"
#include "store/sql/connection.hpp"

namespace cobrador::store::sql {

// Selected from `actions` (no table alias), in the order read_action() reads them.
inline constexpr std::string_view kActionColumns =
    "id, key, kind, COALESCE(customer_id, 0), COALESCE(episode_id, 0), stage, target, payload, state, "
    "attempts, next_attempt_at, last_error, created_at, done_at";

// Reads the row a statement selecting kActionColumns (from column 0) stands on.
Action read_action(const Statement& stmt);

}  // namespace cobrador::store::sql
