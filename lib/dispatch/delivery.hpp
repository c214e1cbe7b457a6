// The result of one attempt at an action, whoever made it (a panel's adapter, the e-mail or
// SMS channel): the adapter's Outcome, plus for a notice the evidence the audit trail keeps.
#pragma once

#include <nlohmann/json.hpp>

#include "hooks/panel.hpp"

namespace cobrador::dispatch {

struct Delivery {
  hooks::Outcome outcome;
  // A notice that went out: what the customer got (subject, text or SMS, locale, Message-ID)
  // and the server's reply. Null for panel calls, whose reply is outcome.detail.
  nlohmann::json evidence;
};

inline Delivery make_delivery(hooks::Outcome::Kind kind, std::string detail) {
  Delivery delivery;
  delivery.outcome.kind = kind;
  delivery.outcome.detail = std::move(detail);
  return delivery;
}

}  // namespace cobrador::dispatch
