// `cobradorctl bank import FILE` and `POST /v1/bank-statements` (SPEC §8, §6): a statement's
// bytes in, payments out. The format is found from the content, the file parsed whole (a bad
// file writes nothing and the error names the line or element), the entries reconciled against
// the open invoices (bank/reconcile), and then, in the caller's transaction:
//  - a matched booked credit confirms a claim or becomes a confirmed payment
//    (confirm_bank_credit), and the customer is settled: a debt cleared ends its episode and
//    queues the unsuspend of a non-payment suspension in the same transaction;
//  - an unmatched booked credit is kept for the operator (`list unmatched`) with an alert;
//  - a returned direct debit marks its payment `returned` with the reason, so the invoice is
//    owed again, and counts toward returned_debits_in_a_row;
//  - an entry recorded by an earlier import is left alone (a UNIQUE identity in the store).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "bank/bank_entry.hpp"
#include "domain/date.hpp"
#include "domain/money.hpp"
#include "policy/policy.hpp"
#include "store/store.hpp"
#include "util/result.hpp"

namespace cobrador::service {

struct BankImportRequest {
  std::string label;   // the file's name, first word of every error
  std::string source;  // the bank source: payments get `source` and actor bank:<source>
  std::string actor;   // who imports (operator:<name>, an API client), for the import's row
  std::string where;   // "cobradorctl bank import", "POST /v1/bank-statements": audit detail
};

// What became of one entry of the file.
struct BankLine {
  std::string origin;    // line 3, or the element path
  std::string identity;
  Money amount;
  std::string direction;  // credit or debit
  Date booked_on;
  // matched, confirmed_claim, unmatched, returned, already_imported, ignored (booked but not
  // a payment: a plain debit), not_booked (pending: recorded when the bank books it).
  std::string outcome;
  std::string invoice_id;  // external ids, when there is one
  std::string payment_id;
  std::string customer_id;
  std::string matched_by;     // reference or amount
  std::string return_reason;  // MD06...
  std::vector<std::string> references;
  std::string explanation;
};

struct BankImportReport {
  std::string format;
  std::int64_t import_id = 0;  // 0 when the file had nothing new to record
  int matched = 0;             // confirmed claims included
  int unmatched = 0;
  int returned = 0;
  int already_imported = 0;
  int ignored = 0;  // booked entries that pay nothing (debits), and pending ones
  std::vector<BankLine> lines;
};

// Steps 2 to 6 of docs/bank-formats.md (*Importing*) for entries that come from no file (a
// bank's PIX notification, lib/http), so that they are matched and recorded exactly as
// statement lines are. `format` names them. Same transaction rules as below.
Result<BankImportReport> import_bank_entries(store::Store& store, const policy::Policy& policy,
                                             std::vector<bank::BankEntry> entries, std::string_view format,
                                             const BankImportRequest& request, Instant now);

// Runs inside the caller's write transaction. An Error before anything is written for a
// file that does not parse; an Error after writes (a store refusal) means the caller must
// roll back.
Result<BankImportReport> import_bank_statement(store::Store& store, const policy::Policy& policy,
                                               std::string_view content, const BankImportRequest& request,
                                               Instant now);

}  // namespace cobrador::service
