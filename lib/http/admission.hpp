// Who gets a connection slot (docs/api.md, "Limits and timeouts"). A new connection is let
// in while the server has fewer than http.max_connections open and its address fewer than
// http.max_connections_per_peer. At a limit, the connection that has waited longest for a
// request to begin (a silent new one or an idle keep-alive one) is closed to make room, as
// nginx reuses its idle keep-alive connections when it runs out; only when every connection
// that could give way is in the middle of a request is the new one refused with 503. So idle
// peers can never hold the cap, and one address can hold at most its share of busy slots.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <vector>

namespace cobrador::http {

struct AdmissionLimits {
  std::size_t total = 512;
  std::size_t per_peer = 128;
};

// Which connections must give way before a new one from a peer can be let in.
enum class SlotNeed {
  none,         // below both limits: let it in
  from_peer,    // the peer is at its limit: one of its own connections must give way
  from_anyone,  // the server is at its limit: any connection may give way
};

SlotNeed slot_needed(std::size_t open_total, std::size_t open_of_peer, const AdmissionLimits& limits);

// A connection that may give way: it waits for a request to begin, since `idle_since`.
struct IdleConnection {
  const void* id = nullptr;
  std::chrono::steady_clock::time_point idle_since;
};

// The one that has waited longest, or none when `idle` is empty.
std::optional<const void*> longest_idle(const std::vector<IdleConnection>& idle);

}  // namespace cobrador::http
