// Actions that follow from another one's success, queued in the same transaction that marks
// it done, with keys derived from it so that a repeated completion queues nothing twice:
//  - when the last unsuspension of an episode's end is acknowledged, the customer is told
//    (the `reactivated` notice, to their first e-mail address);
//  - a suspension acknowledged after its episode ended (the customer paid while the call was
//    in flight) is undone at once: the walk only unsuspends services that were suspended when
//    the episode ended, and would leave this one off.
#pragma once

#include "domain/entities.hpp"
#include "store/outbox_store.hpp"

namespace cobrador::dispatch {

// True when an action was queued.
bool queue_follow_ups(store::OutboxStore& store, const Action& done, Instant now);

}  // namespace cobrador::dispatch
