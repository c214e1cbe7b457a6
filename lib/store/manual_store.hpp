// The manual actions face: suspension and unsuspension by hand (lib/service/suspension).
// What the operator asks for goes out as outbox actions, so this face includes the outbox's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/entities.hpp"
#include "store/outbox_store.hpp"

namespace cobrador::store {

class ManualStore : public virtual OutboxStore {
 public:
  // The operator's hold on a service: the reason of a suspension made by hand, nullopt when
  // there is none. It exists from the moment the operator asks (the service's state still
  // changes only on the panel's yes); while it is set, an acknowledged suspension carries its
  // reason, and an unsuspension not made by hand is cancelled before it goes out.
  virtual std::optional<std::string> manual_hold(std::int64_t service_id) = 0;
  virtual void set_manual_hold(std::int64_t service_id, const std::optional<std::string>& reason) = 0;
  // The panel has the service off already: its suspension now stands for `reason`.
  virtual void set_suspend_reason(std::int64_t service_id, std::string_view reason) = 0;
  // The panel actions of a service not finished yet (pending, in flight or failed), oldest first.
  virtual std::vector<Action> open_service_actions(std::string_view service_ext_id) = 0;
  // How many actions made by hand the service has had (numbers the next one's key).
  virtual int manual_action_count(std::string_view service_ext_id) = 0;
};

}  // namespace cobrador::store
