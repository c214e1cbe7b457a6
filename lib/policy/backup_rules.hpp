// Who may take a backup (SPEC §5 "backups only while active and paid", docs/lifecycle.md), as a
// pure rule over what the store knows of the service and its customer.
//
// An ordinary backup needs the service in a state backups.allowed_in lists AND a customer who
// owes nothing overdue and holds no open promise or claim: a trust release or a one-day claim
// release reactivates the service on the customer's word, and a backup taken then would let
// them leave with the data unpaid (the forged-receipt story of SPEC §4).
//
// The exception is the last-chance backup the purge notice offers: once per service, for a
// cancelling, cancelled or locked service whose purge has not started, whatever is owed, at
// the price backups.last_chance_fee (a charge handed to the billing system).
#pragma once

#include <optional>
#include <string>

#include "domain/entities.hpp"
#include "domain/money.hpp"

namespace cobrador::policy {

struct Policy;

struct BackupFacts {
  ServiceState state = ServiceState::active;
  int overdue_invoices = 0;        // open, with a balance, due before today
  bool promise_open = false;       // a trust release is running
  bool claim_open = false;         // a payment claim waits for the bank
  bool purge_started = false;      // a purge of the service is queued or on its way
  bool last_chance_taken = false;  // a last-chance backup of it is queued, running or done
  // The currency of the customer's book (the service's recurring price, else the latest
  // invoice's): the fee is charged in it. Unknown: no fee can be charged.
  std::optional<Currency> currency;
};

struct BackupVerdict {
  bool allowed = false;
  bool last_chance = false;  // the paid exception, not an ordinary backup
  std::string code;          // when refused: the rule's name, for programs (docs/api.md)
  std::string rule;          // the rule, for people and the audit trail
  std::optional<Money> fee;  // a last-chance backup's charge; none when it is free
};

BackupVerdict backup_decision(const Policy& policy, const BackupFacts& facts);

// The currency the customer is billed in: the service's recurring price's, else that of the
// customer's latest invoice; none when the book has neither.
std::optional<Currency> book_currency(const Service& service, std::optional<Currency> latest_invoice);

// What the purge notice says the last-chance backup costs (`{{backup_fee}}`): "25.00 BRL", or a
// zero amount when backups.last_chance_fee is unset; the bare policy amount when the currency
// is unknown.
std::string last_chance_fee_text(const Policy& policy, std::optional<Currency> currency);

}  // namespace cobrador::policy
