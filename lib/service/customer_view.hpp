// What `cobradorctl show customer` and `GET /v1/customers/{id}` tell about one customer:
// services, balance, where the dunning stands and what happens next. One assembly for both,
// so the operator and the client area never see two different answers.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "policy/policy.hpp"
#include "policy/snapshot.hpp"
#include "service/lock_reactivation.hpp"
#include "store/store.hpp"

namespace cobrador::service {

struct NextAction {
  Date date;
  std::string stage;
  std::string action;  // "suspend s-1", "notify email:..."
};

struct CustomerView {
  Customer customer;
  std::vector<Service> services;
  std::vector<policy::OpenInvoice> open_invoices;
  std::map<std::string, Money> balance;  // what is owed, by currency code
  // good_standing (nothing overdue), overdue, suspended (a service suspended for non-payment)
  // or locked (a service ended for non-payment).
  std::string state;
  int days_overdue = 0;
  std::string current_stage;  // "" while no stage ran in the open episode
  std::optional<int> episode;
  std::optional<NextAction> next_action;     // within the next 90 days
  std::optional<Promise> open_promise;       // the trust release running now
  std::optional<Instant> claims_flagged_at;  // a payment claim went unconfirmed: no claim-based releases
  // What bringing back a service locked for non-payment requires; nullopt without a lock.
  std::optional<ReactivationTerms> reactivation;
  // Why the customer does not pay, as the bank or an operator said (docs/tasks.md).
  std::optional<store::EpisodeCause> cause;
};

// Reads the customer and plays the policy forward (walk::simulate) to find the next action.
// Uses a transaction of its own that it rolls back, so the caller must not be inside one.
std::optional<CustomerView> customer_view(store::Store& store, const policy::Policy& policy,
                                          std::string_view ext_id, Instant now);

// The view as JSON: id, name, locale, tags, exempt_until, services, balance, state,
// days_overdue, current_stage, episode, next_action, open_promise (null when none),
// claims_flagged (bool), claims_flagged_at, reactivation (null unless a service is locked) and
// cause ({code, source, at, episode}, null when nobody learned it).
nlohmann::json to_json(const CustomerView& view);

}  // namespace cobrador::service
