// Backups asked by the customer or the operator (SPEC §5 `backups`, §7 `service.backup`),
// decided by policy/backup_rules.hpp: an ordinary backup only while the service is in a state
// backups.allowed_in lists and the customer is paid up (nothing overdue, no open promise or
// claim); the purge notice's last-chance backup once for a cancelling, cancelled or locked
// service, its fee written as a charge for the billing system (`cobradorctl export charges`).
// Carried out by the service's panel; the customer is told where the backup is when it is done.
#pragma once

#include <optional>

#include "policy/policy.hpp"
#include "service/refusal.hpp"
#include "store/store.hpp"

namespace cobrador::service {

struct BackupQueued {
  Action action;
  bool created = false;      // false: a backup of the service was already on its way
  bool last_chance = false;  // the paid exception before a purge
  std::optional<Money> fee;  // what the last-chance backup is charged
};

// Inside the caller's transaction. Refused (409, the rule's name as the code) where the policy
// does not allow it, and while a purge of the service is queued.
Decided<BackupQueued> request_backup(store::Store& store, const policy::Policy& policy,
                                     const std::string& service_id, Instant now, const std::string& actor);

}  // namespace cobrador::service
