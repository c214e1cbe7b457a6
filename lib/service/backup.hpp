// Backups asked by the customer or the operator (SPEC §5 `backups`, §7 `service.backup`):
// allowed only in the states backups.allowed_in lists, carried out by the service's panel,
// and the customer told where the backup is when the panel says it is done.
#pragma once

#include "policy/policy.hpp"
#include "service/refusal.hpp"
#include "store/lifecycle_store.hpp"

namespace cobrador::service {

struct BackupQueued {
  Action action;
  bool created = false;  // false: a backup of the service was already on its way
};

// Inside the caller's transaction. Refused (409) in a state the policy does not allow, and
// while a purge of the service is queued.
Decided<BackupQueued> request_backup(store::LifecycleStore& store, const policy::Policy& policy,
                                     const std::string& service_id, Instant now, const std::string& actor);

}  // namespace cobrador::service
