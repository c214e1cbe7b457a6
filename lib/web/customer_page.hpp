// The console's customer pages: the search (by id, name or e-mail) and one customer's page,
// where "why was this customer suspended?" is answered at the top, and below it everything that
// happened, in order: every decision with its rule, every notice as it was sent, every panel
// call with the panel's answer, payments, promises, contacts and tasks.
#pragma once

#include <optional>
#include <string>

#include "policy/policy.hpp"
#include "store/store.hpp"
#include "web/console_sessions.hpp"
#include "web/html.hpp"

namespace cobrador::web {

// The search form and, for a non-empty `query`, what it finds (at most 50).
Html customer_search_body(store::Store& store, const std::string& query);

// One customer's page; nothing when there is no such customer. Runs outside any transaction
// (the customer view plays the policy forward in one it rolls back).
std::optional<Html> customer_body(store::Store& store, const policy::Policy& policy,
                                  const std::string& ext_id, Instant now, const ConsoleSession& session);

// The path of a customer's page, its id percent-encoded.
std::string customer_path(const std::string& ext_id);

}  // namespace cobrador::web
