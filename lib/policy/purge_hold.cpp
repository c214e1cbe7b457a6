// Implements policy/purge_hold.hpp.
#include "policy/purge_hold.hpp"

#include <fmt/format.h>

#include "policy/policy.hpp"

namespace cobrador::policy {

std::string purge_hold(const Policy& policy, const PurgeFacts& facts, Date today) {
  if (facts.backup_in_flight) {
    return fmt::format("a backup of {} is in flight; a purge never runs before it ends", facts.service);
  }
  // The customer is given at least a day between the offer and the purge.
  if (policy.backups.offer_before_purge_days > 0 && facts.offer_queued_on &&
      *facts.offer_queued_on >= today) {
    return "the last-chance backup offer went out only today";
  }
  return "";
}

}  // namespace cobrador::policy
