// Implements policy/hand_suspension.hpp.
#include "policy/hand_suspension.hpp"

#include <fmt/format.h>

namespace cobrador::policy {

namespace {

HandStep refuse(std::string why) { return {HandStep::Kind::refuse, std::move(why), ""}; }

}  // namespace

HandStep suspend_by_hand_step(const HandFacts& facts, const std::string& reason) {
  if (facts.hold)
    return refuse(fmt::format("service {} is already suspended by hand: {}", facts.service, *facts.hold));
  if (facts.state != ServiceState::active && facts.state != ServiceState::suspended &&
      facts.state != ServiceState::cancelling) {
    return refuse(
        fmt::format("service {} is {}: there is nothing to suspend", facts.service, to_string(facts.state)));
  }
  // Off already, and no unsuspension on its way to turn it on: the panel needs no call.
  if (facts.state == ServiceState::suspended && !facts.unsuspend_in_flight) {
    return {HandStep::Kind::keep_off,
            fmt::format(
                "already off on panel '{}' (was: {}); the suspension now stands for the operator's reason",
                facts.panel, facts.suspend_reason),
            reason};
  }
  return {HandStep::Kind::call_panel, fmt::format("suspend queued for panel '{}'", facts.panel), ""};
}

HandStep unsuspend_by_hand_step(const HandFacts& facts) {
  if (!facts.hold) {
    if (facts.state == ServiceState::suspended || facts.state == ServiceState::locked) {
      return refuse(
          fmt::format("service {} is {} for {}, not by hand: a confirmed payment or a trust release lifts it",
                      facts.service, to_string(facts.state), facts.suspend_reason));
    }
    return refuse(fmt::format("service {} is not suspended by hand", facts.service));
  }
  if (facts.hand_suspend_in_flight) {
    return refuse(
        fmt::format("the suspension of {} is being sent to panel '{}' right now; try again once it is done",
                    facts.service, facts.panel));
  }
  if (facts.state == ServiceState::locked) {
    // A lock stage ended the service for non-payment while the hold was on: that stands.
    return {HandStep::Kind::keep_off, "stays locked: a lock stage ended the service for non-payment",
            std::string(kNonPayment)};
  }
  if (facts.state != ServiceState::suspended) {
    return {HandStep::Kind::nothing, "the suspension had not reached the panel; nothing to undo there", ""};
  }
  if (facts.owed_for_episode) {
    // The customer still owes what the episode suspended them for: the service stays off, and
    // now a payment lifts it.
    return {HandStep::Kind::keep_off,
            "stays suspended for non_payment: the open dunning episode took it off; a payment lifts it",
            std::string(kNonPayment)};
  }
  return {HandStep::Kind::call_panel, fmt::format("unsuspend queued for panel '{}'", facts.panel), ""};
}

}  // namespace cobrador::policy
