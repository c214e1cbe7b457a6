// Implements reconciliation as two passes over the entries (reference, then amount), so that
// an invoice a later entry names explicitly is never taken first by an amount guess.
#include "bank/reconcile.hpp"

#include <algorithm>
#include <optional>
#include <unordered_map>

#include <fmt/format.h>

#include "bank/return_reasons.hpp"
#include "bank/text.hpp"

namespace cobrador::bank {

namespace {

constexpr std::size_t kNamesInMessages = 5;

std::string reference_list(const BankEntry& entry) {
  std::vector<std::string> values;
  for (const auto& reference : entry.references) values.push_back(reference.value);
  return values.empty() ? "it carries no references" : fmt::format("references: {}", fmt::join(values, ", "));
}

std::string reason_text(const std::string& code) {
  if (code.empty()) return "no reason given";
  const auto described = describe_return_reason(code);
  if (described.empty()) return fmt::format("reason {}", code);
  return fmt::format("reason {} ({})", code, described);
}

std::string returned_explanation(const BankEntry& entry) {
  return fmt::format("returned direct debit of {}, {}; find the original payment by its {}",
                     format_money(entry.amount), reason_text(entry.return_reason), reference_list(entry));
}

EntryResult unmatched(std::size_t index) {
  EntryResult result;
  result.entry_index = index;
  return result;
}

// The outcome of an entry that cannot pay anything; nothing for a booked, plain credit.
std::optional<EntryResult> classify_non_payment(const BankEntry& entry, std::size_t index) {
  EntryResult result = unmatched(index);
  if (!entry.booked) {
    result.explanation = fmt::format("not booked (status {}); only booked credits pay", entry.status_code);
  } else if (entry.direction == Direction::debit && entry.reversal) {
    result.outcome = Outcome::returned;
    result.explanation = returned_explanation(entry);
  } else if (entry.direction == Direction::debit) {
    result.explanation = fmt::format("a debit of {}, not a payment", format_money(entry.amount));
  } else if (entry.reversal) {
    result.explanation = "a reversal of an earlier debit, not a payment";
  } else {
    return std::nullopt;
  }
  return result;
}

std::string invoice_names(const std::vector<const OpenInvoice*>& invoices) {
  std::vector<std::string> names;
  for (std::size_t i = 0; i < invoices.size() && i < kNamesInMessages; ++i) {
    names.push_back(invoices[i]->external_id);
  }
  if (invoices.size() > kNamesInMessages) names.push_back("...");
  return fmt::format("{}", fmt::join(names, ", "));
}

class Run {
 public:
  Run(std::span<const BankEntry> entries, std::span<const OpenInvoice> invoices, std::int64_t tolerance)
      : entries_(entries),
        invoices_(invoices),
        tolerance_(std::max<std::int64_t>(tolerance, 0)),
        taken_by_(invoices.size()) {
    for (std::size_t j = 0; j < invoices.size(); ++j) {
      if (!invoices[j].external_id.empty()) by_external_id_[fold_case(invoices[j].external_id)].push_back(j);
    }
  }

  std::vector<EntryResult> run();

 private:
  // An invoice the entry's references name, with the reference that named it.
  struct Named {
    std::size_t invoice;
    std::string reference;
  };

  std::vector<Named> named_invoices(const BankEntry& entry) const;
  bool match_by_reference(std::size_t index, EntryResult& result);
  void match_by_amount(std::size_t index, EntryResult& result);
  void take(std::size_t invoice, std::size_t index, EntryResult& result, MatchedBy how);

  std::span<const BankEntry> entries_;
  std::span<const OpenInvoice> invoices_;
  std::int64_t tolerance_;
  std::vector<std::optional<std::size_t>> taken_by_;  // per invoice: the entry that took it
  // Case-folded external id -> invoices, so that a reference is looked up, not compared
  // with every open invoice of the book.
  std::unordered_map<std::string, std::vector<std::size_t>> by_external_id_;
};

std::vector<EntryResult> Run::run() {
  std::vector<EntryResult> results;
  std::vector<std::size_t> left_for_amount;
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    auto non_payment = classify_non_payment(entries_[i], i);
    results.push_back(non_payment ? std::move(*non_payment) : unmatched(i));
    if (!non_payment && !match_by_reference(i, results.back())) left_for_amount.push_back(i);
  }
  for (const auto i : left_for_amount) match_by_amount(i, results[i]);
  return results;
}

std::vector<Run::Named> Run::named_invoices(const BankEntry& entry) const {
  std::vector<Named> named;
  for (const auto& reference : entry.references) {
    const auto found = by_external_id_.find(fold_case(reference.value));
    if (found == by_external_id_.end()) continue;
    for (const auto j : found->second) {
      const bool seen =
          std::any_of(named.begin(), named.end(), [&](const Named& n) { return n.invoice == j; });
      if (!seen) named.push_back({j, reference.value});
    }
  }
  return named;
}

// True when the references settled the entry, matched or not: once a payer has named an
// invoice, guessing another one by amount would be wrong.
bool Run::match_by_reference(std::size_t index, EntryResult& result) {
  const auto& entry = entries_[index];
  const auto named = named_invoices(entry);
  if (named.empty()) return false;
  if (named.size() > 1) {
    std::vector<const OpenInvoice*> invoices;
    for (const auto& n : named) invoices.push_back(&invoices_[n.invoice]);
    result.explanation = fmt::format(
        "its references name {} open invoices ({}); one payment for several invoices is "
        "left to the operator",
        named.size(), invoice_names(invoices));
    return true;
  }
  const auto& invoice = invoices_[named.front().invoice];
  result.matched_reference = named.front().reference;
  if (invoice.amount_due.currency != entry.amount.currency) {
    result.explanation = fmt::format(
        "reference {} names open invoice {}, which is in {}; the credit is in {}", named.front().reference,
        invoice.external_id, invoice.amount_due.currency.code(), entry.amount.currency.code());
  } else if (const auto other = taken_by_[named.front().invoice]) {
    result.explanation = fmt::format("reference {} names open invoice {}, already matched in this run by {}",
                                     named.front().reference, invoice.external_id, entries_[*other].origin);
  } else {
    take(named.front().invoice, index, result, MatchedBy::reference);
    result.explanation =
        fmt::format("reference {} names open invoice {}", named.front().reference, invoice.external_id);
  }
  return true;
}

void Run::match_by_amount(std::size_t index, EntryResult& result) {
  const auto& amount = entries_[index].amount;
  std::vector<std::size_t> fitting;
  for (std::size_t j = 0; j < invoices_.size(); ++j) {
    const auto& due = invoices_[j].amount_due;
    const bool open = !taken_by_[j] && due.minor > 0 && due.currency == amount.currency;
    if (open && amount.minor >= due.minor - tolerance_) fitting.push_back(j);
  }
  const auto tolerance = format_amount(Money{tolerance_, amount.currency});
  if (fitting.size() == 1) {
    take(fitting.front(), index, result, MatchedBy::amount);
    const auto& invoice = invoices_[fitting.front()];
    result.explanation = fmt::format(
        "no reference names an open invoice; {} covers only open invoice {} (due {}, "
        "tolerance {})",
        format_money(amount), invoice.external_id, format_money(invoice.amount_due), tolerance);
  } else if (fitting.empty()) {
    result.explanation = fmt::format(
        "no reference names an open invoice, and no open invoice in {} is due {} or less "
        "(tolerance {})",
        amount.currency.code(), format_amount(amount), tolerance);
  } else {
    std::vector<const OpenInvoice*> invoices;
    for (const auto j : fitting) invoices.push_back(&invoices_[j]);
    result.explanation = fmt::format(
        "no reference names an open invoice, and {} covers {} open invoices ({}); "
        "ambiguous, left to the operator",
        format_money(amount), fitting.size(), invoice_names(invoices));
  }
}

void Run::take(std::size_t invoice, std::size_t index, EntryResult& result, MatchedBy how) {
  taken_by_[invoice] = index;
  result.outcome = Outcome::matched;
  result.matched_by = how;
  result.invoice_id = invoices_[invoice].id;
  result.customer_id = invoices_[invoice].customer_id;
  result.invoice_external_id = invoices_[invoice].external_id;
}

}  // namespace

std::vector<EntryResult> reconcile(std::span<const BankEntry> entries,
                                   std::span<const OpenInvoice> open_invoices, std::int64_t tolerance_minor) {
  return Run(entries, open_invoices, tolerance_minor).run();
}

std::string_view to_string(Outcome outcome) {
  switch (outcome) {
    case Outcome::matched:
      return "matched";
    case Outcome::unmatched:
      return "unmatched";
    case Outcome::returned:
      return "returned";
  }
  return "unknown";
}

std::string_view to_string(MatchedBy matched_by) {
  return matched_by == MatchedBy::reference ? "reference" : "amount";
}

}  // namespace cobrador::bank
