// Implements the decisions of the connection slots.
#include "http/admission.hpp"

#include <algorithm>

namespace cobrador::http {

SlotNeed slot_needed(std::size_t open_total, std::size_t open_of_peer, const AdmissionLimits& limits) {
  // The peer's own limit first: freeing one of its connections also frees one of the total.
  if (open_of_peer >= limits.per_peer) return SlotNeed::from_peer;
  if (open_total >= limits.total) return SlotNeed::from_anyone;
  return SlotNeed::none;
}

std::optional<const void*> longest_idle(const std::vector<IdleConnection>& idle) {
  if (idle.empty()) return std::nullopt;
  const auto oldest = std::min_element(
      idle.begin(), idle.end(), [](const auto& a, const auto& b) { return a.idle_since < b.idle_since; });
  return oldest->id;
}

}  // namespace cobrador::http
