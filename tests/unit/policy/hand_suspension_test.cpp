// Suspension by hand as rules (policy/hand_suspension): when it is refused, when the panel is
// called, when the service simply stays off for another reason.
#include <catch2/catch.hpp>

#include "policy/hand_suspension.hpp"

using namespace cobrador;
using namespace cobrador::policy;

namespace {

HandFacts service_in(ServiceState state) {
  HandFacts facts;
  facts.service = "web-1";
  facts.panel = "noc";
  facts.state = state;
  facts.suspend_reason = state == ServiceState::active ? "" : "non_payment";
  return facts;
}

}  // namespace

TEST_CASE("suspending by hand calls the panel unless the service is already off", "[policy]") {
  const auto active = suspend_by_hand_step(service_in(ServiceState::active), "abuse");
  CHECK(active.kind == HandStep::Kind::call_panel);
  CHECK(active.text == "suspend queued for panel 'noc'");

  const auto off = suspend_by_hand_step(service_in(ServiceState::suspended), "abuse");
  CHECK(off.kind == HandStep::Kind::keep_off);
  CHECK(off.suspend_reason == "abuse");
  CHECK(off.text ==
        "already off on panel 'noc' (was: non_payment); the suspension now stands for the operator's reason");

  auto turning_on = service_in(ServiceState::suspended);
  turning_on.unsuspend_in_flight = true;  // a payment's unsuspension is on its way: call again after it
  CHECK(suspend_by_hand_step(turning_on, "abuse").kind == HandStep::Kind::call_panel);
}

TEST_CASE("suspending by hand is refused twice, and for a service that is gone", "[policy]") {
  auto held = service_in(ServiceState::suspended);
  held.hold = "abuse";
  const auto twice = suspend_by_hand_step(held, "fraud");
  CHECK(twice.kind == HandStep::Kind::refuse);
  CHECK(twice.text == "service web-1 is already suspended by hand: abuse");
  const auto gone = suspend_by_hand_step(service_in(ServiceState::purged), "abuse");
  CHECK(gone.kind == HandStep::Kind::refuse);
  CHECK(gone.text == "service web-1 is purged: there is nothing to suspend");
}

TEST_CASE("lifting a suspension by hand", "[policy]") {
  const auto not_held = unsuspend_by_hand_step(service_in(ServiceState::suspended));
  CHECK(not_held.kind == HandStep::Kind::refuse);
  CHECK(not_held.text ==
        "service web-1 is suspended for non_payment, not by hand: a confirmed payment or a trust release "
        "lifts it");
  CHECK(unsuspend_by_hand_step(service_in(ServiceState::active)).text ==
        "service web-1 is not suspended by hand");

  auto held = service_in(ServiceState::suspended);
  held.hold = "abuse";
  CHECK(unsuspend_by_hand_step(held).kind == HandStep::Kind::call_panel);

  auto sending = held;
  sending.hand_suspend_in_flight = true;
  CHECK(unsuspend_by_hand_step(sending).kind == HandStep::Kind::refuse);

  auto owed = held;
  owed.owed_for_episode = true;
  const auto stays = unsuspend_by_hand_step(owed);
  CHECK(stays.kind == HandStep::Kind::keep_off);
  CHECK(stays.suspend_reason == "non_payment");

  auto locked = held;
  locked.state = ServiceState::locked;
  CHECK(unsuspend_by_hand_step(locked).text ==
        "stays locked: a lock stage ended the service for non-payment");

  auto never_sent = held;
  never_sent.state = ServiceState::active;
  CHECK(unsuspend_by_hand_step(never_sent).kind == HandStep::Kind::nothing);
}
