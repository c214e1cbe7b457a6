// Implements policy/action_key.hpp.
#include "policy/action_key.hpp"

#include <fmt/format.h>

namespace cobrador::policy {

ActionKey ActionKey::episode(std::int64_t customer_id, int episode_number) {
  return ActionKey(fmt::format("c{}:e{}", customer_id, episode_number));
}

ActionKey ActionKey::by_hand(std::int64_t customer_id, int number) {
  return ActionKey(fmt::format("c{}:m{}", customer_id, number));
}

ActionKey ActionKey::of_claim(std::int64_t customer_id, std::int64_t payment_id) {
  return ActionKey(fmt::format("c{}:claim{}", customer_id, payment_id));
}

ActionKey ActionKey::of_payment(std::int64_t customer_id, std::int64_t payment_id) {
  return ActionKey(fmt::format("c{}:payment{}", customer_id, payment_id));
}

ActionKey ActionKey::of_service(std::int64_t service_id, std::string_view occasion, std::int64_t id) {
  return ActionKey(fmt::format("s{}:{}{}", service_id, occasion, id));
}

ActionKey ActionKey::of_origin(std::int64_t service_id, std::string_view origin) {
  // "cancellation:7" -> "s3:cancellation7"
  const auto colon = origin.find(':');
  if (colon == std::string_view::npos) return ActionKey(fmt::format("s{}:{}", service_id, origin));
  return ActionKey(fmt::format("s{}:{}{}", service_id, origin.substr(0, colon), origin.substr(colon + 1)));
}

ActionKey ActionKey::following(const Action& action) { return ActionKey(action.key); }

ActionKey ActionKey::then(std::string_view part) const {
  return ActionKey(fmt::format("{}:{}", text_, part));
}

ActionKey ActionKey::then(std::string_view stage, ActionKind kind, std::string_view target) const {
  return ActionKey(fmt::format("{}:{}:{}:{}", text_, stage, to_string(kind), target));
}

}  // namespace cobrador::policy
