// An unmatched bank credit placed by an operator ("this pays invoice X": `cobradorctl bank place`
// and the console's Work page): the same confirmation as a statement line that named the invoice
// (confirm_bank_credit: a claim waiting on the invoice is confirmed, else a confirmed payment is
// recorded), the entry marked matched with who placed it, the customer settled (a debt cleared
// ends the episode and lifts its suspensions), and the entry's unmatched_payment task closed as
// matched_by_hand. All inside the caller's transaction, audited as the operator's.
#pragma once

#include <string>

#include "domain/entities.hpp"
#include "policy/policy.hpp"
#include "service/refusal.hpp"
#include "store/store.hpp"

namespace cobrador::service {

struct PlacedCredit {
  Payment payment;       // as written (a confirmed claim, or a new confirmed payment)
  std::string invoice;   // ext id
  std::string customer;  // ext id
  bool confirmed_claim = false;
};

// Refused: 404 for an entry or invoice nobody knows (field `entry` or `invoice`), 409 for an
// entry that is not an unmatched booked credit, an invoice that is not open or owes nothing,
// or another currency.
Decided<PlacedCredit> place_bank_credit(store::Store& store, const policy::Policy& policy,
                                        const std::string& entry, const std::string& invoice, Instant now,
                                        const std::string& actor);

}  // namespace cobrador::service
