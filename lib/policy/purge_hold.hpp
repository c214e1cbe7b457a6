// Why a purge that is due must wait (docs/lifecycle.md), as a pure rule over what the store
// knows of the service on the purge day.
#pragma once

#include <optional>
#include <string>

#include "domain/date.hpp"

namespace cobrador::policy {

struct Policy;

struct PurgeFacts {
  std::string service;            // its id, for the reason
  bool backup_in_flight = false;  // a backup of it is queued or on its way
  // The day (in the policy's zone) the last-chance backup offer was queued, if it was.
  std::optional<Date> offer_queued_on;
};

// The reason the purge waits, or "" when it may be queued today.
std::string purge_hold(const Policy& policy, const PurgeFacts& facts, Date today);

}  // namespace cobrador::policy
