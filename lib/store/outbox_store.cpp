// Implements what every outbox shares: adding several actions at once.
#include "store/outbox_store.hpp"

namespace cobrador::store {

int add_actions(OutboxStore& store, const std::vector<Action>& actions, Instant now, std::string_view why) {
  int added = 0;
  for (const auto& action : actions) {
    if (store.add_action(action, now, why)) ++added;
  }
  return added;
}

}  // namespace cobrador::store
