// Decides, for each bank entry, whether it pays an open invoice, and which one. Pure: no
// store, no clock; the caller records the payments and the returns.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "bank/bank_entry.hpp"
#include "domain/money.hpp"

namespace cobrador::bank {

struct OpenInvoice {
  std::int64_t id = 0;      // internal id
  std::string external_id;  // the invoice reference customers write on their payments
  std::int64_t customer_id = 0;
  Money amount_due;                  // what is still owed, in the invoice's currency
  std::string customer_external_id;  // carried to the result, for whoever records the payment
  // The number the billing system printed on the invoice, for one a source gave ("1001" of
  // "w1:1001"): what its customers write on their payments. Empty for the book's own invoices.
  std::string number;
};

enum class Outcome { matched, unmatched, returned };

enum class MatchedBy { reference, amount };

struct EntryResult {
  std::size_t entry_index = 0;  // position in the entries given to reconcile()
  Outcome outcome = Outcome::unmatched;
  // For matched entries: the invoice and how it was found.
  std::int64_t invoice_id = 0;
  std::int64_t customer_id = 0;
  std::string invoice_external_id;
  std::string customer_external_id;
  MatchedBy matched_by = MatchedBy::reference;
  // The entry's reference that named an invoice; also set when that invoice could not be
  // taken (other currency, already matched), so the operator sees what the payer meant.
  std::string matched_reference;
  // One sentence for the operator: why it matched, why not, or what came back.
  std::string explanation;
};

// One result per entry, in the same order.
//
// Only booked credits that are not reversals pay. Each pays at most one invoice, and each
// invoice is paid at most once per run:
//  1. by reference, for all entries first: an invoice whose external id, or number, equals one
//     of the entry's references (ASCII case ignored; references are whole words, so INV-1
//     never matches inside INV-10). A reference naming several open invoices (a source's 1001
//     and the book's own 1001) is left to the operator. The currency must be the invoice's; the
//     amount may be partial.
//  2. then by amount, in entry order, for the entries no reference settled: the credit
//     matches when exactly one remaining open invoice in its currency has
//     amount_due - tolerance_minor <= amount. Several fitting invoices, or none, leave the
//     entry unmatched with the reason.
// A booked debit with the reversal flag is returned: a direct debit that came back, with its
// reason code; the caller finds the original payment through the entry's references.
// tolerance_minor is in minor units of whatever currency is compared; below zero counts as 0.
std::vector<EntryResult> reconcile(std::span<const BankEntry> entries,
                                   std::span<const OpenInvoice> open_invoices, std::int64_t tolerance_minor);

// The same with a tolerance per currency (a policy's "0.50" is 50 BRL cents but 0 JPY).
using ToleranceIn = std::function<std::int64_t(const Currency&)>;
std::vector<EntryResult> reconcile(std::span<const BankEntry> entries,
                                   std::span<const OpenInvoice> open_invoices,
                                   const ToleranceIn& tolerance_minor_in);

// An open invoice an entry's references name, with the reference that named it.
struct NamedInvoice {
  std::size_t invoice = 0;  // position in the open invoices given to the Reconciler
  std::string reference;
};

// What a match by reference says: "reference INV-1 names open invoice INV-1".
std::string named_explanation(std::string_view reference, std::string_view invoice_external_id);

// reconcile() one entry at a time, for an import that reads a large statement as a stream
// and keeps only the entries the first pass leaves open (docs/benchmarks.md, bank import).
// Same rules and results as reconcile(): call by_reference for every entry in file order,
// then by_amount, in file order, for those it returned false for. Pure as well.
class Reconciler {
 public:
  // origin_of(index) is the origin of an entry seen before, for "already matched in this run
  // by ..."; the invoices and the tolerance must outlive the reconciler.
  Reconciler(std::span<const OpenInvoice> open_invoices, const ToleranceIn& tolerance_minor_in,
             std::function<std::string(std::size_t)> origin_of);
  ~Reconciler();
  Reconciler(const Reconciler&) = delete;
  Reconciler& operator=(const Reconciler&) = delete;

  // The first pass for entry number `index`: true when `result` is final (not a payment, or
  // settled by its references); false leaves it for by_amount.
  bool by_reference(const BankEntry& entry, std::size_t index, EntryResult& result);
  // The same with the entry's named invoices looked up already (named_invoices).
  bool by_reference(const BankEntry& entry, std::size_t index, std::vector<NamedInvoice> named,
                    EntryResult& result);
  // The open invoices the entry's references name, each once, decided nothing yet: reads only
  // what the constructor built, so another thread may look entries up ahead of the one that
  // decides (an import's reading thread: service/bank_import).
  std::vector<NamedInvoice> named_invoices(const BankEntry& entry) const;
  const OpenInvoice& invoice(std::size_t position) const;
  // The second pass, once every entry went through by_reference.
  void by_amount(const BankEntry& entry, std::size_t index, EntryResult& result);

 private:
  class Run;
  std::unique_ptr<Run> run_;
};

std::string_view to_string(Outcome outcome);
std::string_view to_string(MatchedBy matched_by);

}  // namespace cobrador::bank
