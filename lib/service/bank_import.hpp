// `cobradorctl bank import FILE` and `POST /v1/bank-statements` (SPEC §8, §6): a statement's
// bytes in, payments out. The format is found from the content, the file parsed (a bad file
// is refused whole, the error names the line or element), the entries reconciled against the
// open invoices (bank/reconcile), and then, in the caller's transaction:
//  - a matched booked credit confirms a claim or becomes a confirmed payment
//    (confirm_bank_credit), and the customer is settled: a debt cleared ends its episode and
//    queues the unsuspend of a non-payment suspension in the same transaction;
//  - an unmatched booked credit is kept for the operator (`list unmatched`) with an alert;
//  - a returned direct debit marks its payment `returned` with the reason, so the invoice is
//    owed again, and counts toward returned_debits_in_a_row;
//  - an entry recorded by an earlier import is left alone (a UNIQUE identity in the store).
#pragma once

#include <istream>
#include <string>
#include <string_view>
#include <vector>

#include "bank/bank_entry.hpp"
#include "domain/date.hpp"
#include "domain/money.hpp"
#include "policy/policy.hpp"
#include "service/bank_lines.hpp"
#include "store/store.hpp"
#include "util/progress.hpp"
#include "util/result.hpp"
#include "util/text_encoding.hpp"

namespace cobrador::service {

struct BankImportRequest {
  std::string label;   // the file's name, first word of every error
  std::string source;  // the bank source: payments get `source` and actor bank:<source>
  std::string actor;   // who imports (operator:<name>, an API client), for the import's row
  std::string where;   // "cobradorctl bank import", "POST /v1/bank-statements": audit detail
  // The file's text encoding when the caller knows it (--encoding, a Content-Type charset);
  // else as bank::read_statement finds it.
  std::optional<TextEncoding> encoding = std::nullopt;
  // Hears the bytes read of a statement read from a stream (the total passed is 0: the
  // caller knows the file's size).
  Progress progress = {};
  // The billing systems of cobrador.yaml (`sources:`): an invoice one gave, "w1:1001", is also
  // named by its own number, "1001", the one its customers write (docs/connectors.md).
  std::vector<std::string> sources = {};
};

struct BankImportReport {
  std::string format;
  std::int64_t import_id = 0;  // 0 when the file had nothing new to record
  int matched = 0;             // confirmed claims included
  int unmatched = 0;
  int returned = 0;
  int already_imported = 0;
  int ignored = 0;     // booked entries that pay nothing (plain debits)
  int not_booked = 0;  // pending entries: recorded once the bank books them
  BankLines lines;     // one per entry, in file order
};

// Steps 2 to 6 of docs/bank-formats.md (*Importing*) for entries that come from no file (a
// bank's PIX notification, lib/http), so that they are matched and recorded exactly as
// statement lines are. `format` names them. Same transaction rules as below.
Result<BankImportReport> import_bank_entries(store::Store& store, const policy::Policy& policy,
                                             std::vector<bank::BankEntry> entries, std::string_view format,
                                             const BankImportRequest& request, Instant now);

// Runs inside the caller's write transaction. A camt document is read as a stream and its
// entries are written as they come (docs/benchmarks.md, bank import), so an Error — a file
// that does not parse, even at its very end, or a store refusal — may come after writes:
// the caller must roll back, and then nothing of the file is imported.
Result<BankImportReport> import_bank_statement(store::Store& store, const policy::Policy& policy,
                                               std::string_view content, const BankImportRequest& request,
                                               Instant now);

// The same, reading the statement from `in` piece by piece: a camt file of 100,000 entries is
// never in memory whole (other formats are read whole). A syntax error is described as for
// content when `in` can be read again from its start (a file).
Result<BankImportReport> import_bank_statement(store::Store& store, const policy::Policy& policy,
                                               std::istream& in, const BankImportRequest& request,
                                               Instant now);

}  // namespace cobrador::service
