// What a customer pays to have a service back after it ended: after a lock for non-payment,
// reactivation_after_lock (SPEC §5: "pay what is owed and three months in advance"); after a
// cancelled service's period is over, re-engagement (one month's fee, SPEC §4). Both are the
// same measure of money: the confirmed payments received from a day on must cover what was
// owed on that day plus a number of periods of the services' recurring prices. Pure: the
// service shells (service/lock_reactivation, service/cancellation) gather the facts.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "domain/date.hpp"
#include "domain/entities.hpp"
#include "domain/money.hpp"
#include "policy/policy.hpp"
#include "policy/snapshot.hpp"

namespace cobrador::policy {

// Amounts by currency code; a customer may be billed in more than one.
using Amounts = std::map<std::string, Money>;

struct ReturnFacts {
  Date since;                     // the lock day; the first day after the end of service
  bool debt_counts = true;        // reactivation_after_lock.pay_all_debts
  int periods = 0;                // months_upfront; 1 for re-engagement
  std::vector<Invoice> invoices;  // every invoice of the customer
  std::vector<Payment> payments;  // the customer's confirmed payments (invoice_id set)
  // Each service the money buys back, by ext id, with its recurring price (nullopt: unknown).
  std::vector<std::pair<std::string, std::optional<Money>>> services;
};

struct ReturnTerms {
  Amounts owed_then;  // what was owed on `since` (when debt_counts)
  Amounts upfront;    // periods x the services' recurring prices
  Amounts required;   // owed_then + upfront
  Amounts paid;       // confirmed payments received on or after `since`
  Amounts missing;    // required - paid, where that is above zero
  // Services whose recurring price is unknown while periods > 0: the terms cannot be met
  // (an unknown price is never taken as zero).
  std::vector<std::string> unpriced;

  bool met() const { return unpriced.empty() && missing.empty(); }
};

// What was owed on `since`: each open invoice issued before it, less its confirmed payments
// received before it. An invoice the billing system marked paid counts only with the payments
// that paid it on or after `since` (one marked paid with no payment recorded was settled out of
// cobrador's sight, and is not asked again); a void invoice is owed by nobody. Invoices issued
// on or after `since` are not part of the debt: their payments are money paid since (an
// invoice for the months upfront is the usual one).
// The money: every confirmed payment received on or after `since`, whatever invoice it pays.
// Sums that would pass int64 stop at its largest value (never met, never wrapped negative).
ReturnTerms return_terms(const ReturnFacts& facts);

// "239.60 BRL + 10.00 USD"; "0" for none.
std::string amounts_text(const Amounts& amounts);

// The terms the `locked` notice states, for the services a lock ends (active ones, and those
// suspended for non-payment): `months_upfront`; `recurring_amount`, their recurring prices
// added up; and `reactivation_amount`, what to pay to have them back: every open balance (with
// pay_all_debts) plus months_upfront times those prices. Both amounts are empty when a price
// is unknown: the notice must not name a sum that would not bring the services back.
std::map<std::string, std::string, std::less<>> lock_notice_variables(const CustomerSnapshot& customer,
                                                                      const ReactivationAfterLock& rule);

}  // namespace cobrador::policy
