// The last look before an action goes out (docs/dispatch.md, "Claims and leases"), as a pure
// rule over the facts the store fetched in the same transaction: is the action still ours,
// has its episode ended, does an operator's suspension by hand stand in its way.
#pragma once

#include <cstdint>
#include <string>

#include "domain/entities.hpp"

namespace cobrador::policy {

struct SendFacts {
  bool found = false;  // the action still exists
  bool ours = false;   // in_flight and leased to the dispatcher that asks
  ActionKind kind = ActionKind::notify;
  std::string stage;                 // the stage that queued it ("end", "manual", a policy stage...)
  bool episode_ended = false;        // its dunning episode has ended
  std::int64_t episode_number = 0;   // for the reason given when it is cancelled
  std::string episode_end_reason;    // ditto
  std::string target_manual_reason;  // the operator's hold on the service it targets; "" for none
};

struct SendVerdict {
  enum class Kind {
    send,    // renew the lease and send it
    lost,    // not ours any more: drop it, touch nothing
    cancel,  // cancel it for `why`, audited
  };
  Kind kind = Kind::send;
  std::string why;
};

SendVerdict last_look(const SendFacts& facts);

}  // namespace cobrador::policy
