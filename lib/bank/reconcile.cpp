// Implements reconciliation as two passes over the entries (reference, then amount), so that
// an invoice a later entry names explicitly is never taken first by an amount guess.
#include "bank/reconcile.hpp"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <tuple>
#include <unordered_map>
#include <utility>

#include <fmt/format.h>

#include "bank/return_reasons.hpp"
#include "bank/text.hpp"
#include "util/enum_names.hpp"

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

// A null pointer, or more than kNamesInMessages invoices, ends the list with "...".
std::string invoice_names(const std::vector<const OpenInvoice*>& invoices) {
  std::vector<std::string> names;
  for (std::size_t i = 0; i < invoices.size() && i < kNamesInMessages && invoices[i]; ++i) {
    names.push_back(invoices[i]->external_id);
  }
  if (invoices.size() > names.size()) names.push_back("...");
  return fmt::format("{}", fmt::join(names, ", "));
}

// The open invoices of one currency sorted by amount due, with a Fenwick tree counting those
// not taken yet, so that "how many invoices does this credit cover" is a logarithmic query
// instead of a scan of the whole book for every entry (100,000 entries x 200,000 invoices).
class AmountIndex {
 public:
  void add(std::size_t invoice, std::int64_t due) { sorted_.push_back({due, invoice}); }

  void seal() {
    std::sort(sorted_.begin(), sorted_.end());
    tree_.assign(sorted_.size() + 1, 0);
    for (std::size_t i = 1; i <= sorted_.size(); ++i) {
      tree_[i] += 1;
      const auto parent = i + (i & (~i + 1));
      if (parent <= sorted_.size()) tree_[parent] += tree_[i];
    }
  }

  // Invoices not taken whose due is at most `limit`: how many, and the first `wanted` of them.
  std::pair<std::size_t, std::vector<std::size_t>> covered(std::int64_t limit, std::size_t wanted) const {
    const auto end = std::upper_bound(sorted_.begin(), sorted_.end(),
                                      std::pair<std::int64_t, std::size_t>{limit, SIZE_MAX}) -
                     sorted_.begin();
    const auto count = static_cast<std::size_t>(prefix(static_cast<std::size_t>(end)));
    std::vector<std::size_t> first;
    for (std::size_t k = 1; k <= count && k <= wanted; ++k) first.push_back(sorted_[kth(k)].second);
    return {count, std::move(first)};
  }

  void take(std::size_t invoice, std::int64_t due) {
    const auto at =
        std::lower_bound(sorted_.begin(), sorted_.end(), std::pair<std::int64_t, std::size_t>{due, invoice}) -
        sorted_.begin();
    for (auto i = static_cast<std::size_t>(at) + 1; i < tree_.size(); i += i & (~i + 1)) tree_[i] -= 1;
  }

 private:
  std::int64_t prefix(std::size_t n) const {
    std::int64_t sum = 0;
    for (; n > 0; n -= n & (~n + 1)) sum += tree_[n];
    return sum;
  }
  // 0-based position of the k-th (1-based) invoice not taken.
  std::size_t kth(std::size_t k) const {
    std::size_t at = 0;
    std::size_t step = 1;
    while (step * 2 < tree_.size()) step *= 2;
    auto left = static_cast<std::int64_t>(k);
    for (; step > 0; step /= 2) {
      if (at + step < tree_.size() && tree_[at + step] < left) {
        at += step;
        left -= tree_[at];
      }
    }
    return at;
  }

  std::vector<std::pair<std::int64_t, std::size_t>> sorted_;  // (amount due, invoice)
  std::vector<std::int64_t> tree_;
};

}  // namespace

class Reconciler::Run {
 public:
  Run(std::span<const OpenInvoice> invoices, const ToleranceIn& tolerance_in,
      std::function<std::string(std::size_t)> origin_of)
      : invoices_(invoices),
        tolerance_in_(tolerance_in),
        origin_of_(std::move(origin_of)),
        taken_by_(invoices.size()) {
    by_external_id_.reserve(invoices.size());
    for (std::size_t j = 0; j < invoices.size(); ++j) {
      if (!invoices[j].external_id.empty())
        by_external_id_.emplace_back(fold_case_hash(invoices[j].external_id), j);
      if (!invoices[j].number.empty() && !equals_ignore_case(invoices[j].number, invoices[j].external_id))
        by_external_id_.emplace_back(fold_case_hash(invoices[j].number), j);
    }
    std::sort(by_external_id_.begin(), by_external_id_.end());
  }

  bool by_reference(const BankEntry& entry, std::size_t index, std::vector<NamedInvoice> named,
                    EntryResult& result);
  void by_amount(const BankEntry& entry, std::size_t index, EntryResult& result);
  std::vector<NamedInvoice> named_invoices(const BankEntry& entry) const;
  const OpenInvoice& invoice(std::size_t position) const { return invoices_[position]; }

 private:
  bool match_by_reference(const std::vector<NamedInvoice>& named, const BankEntry& entry, std::size_t index,
                          EntryResult& result);
  void index_untaken_by_amount();
  void take(std::size_t invoice, std::size_t index, EntryResult& result, MatchedBy how);
  std::int64_t tolerance(const Currency& currency) const {
    return std::max<std::int64_t>(tolerance_in_(currency), 0);
  }

  std::span<const OpenInvoice> invoices_;
  const ToleranceIn& tolerance_in_;
  std::function<std::string(std::size_t)> origin_of_;
  std::vector<std::optional<std::size_t>> taken_by_;  // per invoice: the entry that took it
  // (hash of the case-folded external id or number, invoice) sorted, so that a reference is looked up,
  // not compared with every open invoice of the book: 16 bytes an invoice, searched among
  // integers (the case-folded ids themselves took 40, and each comparison read a string). A hash
  // found is checked against the invoice's id.
  std::vector<std::pair<std::uint64_t, std::size_t>> by_external_id_;
  // Currency code -> the invoices left for matching by amount, built at the first by_amount.
  std::unordered_map<std::string, AmountIndex> by_amount_;
  bool amount_indexed_ = false;
};

bool Reconciler::Run::by_reference(const BankEntry& entry, std::size_t index, std::vector<NamedInvoice> named,
                                   EntryResult& result) {
  auto non_payment = classify_non_payment(entry, index);
  result = non_payment ? std::move(*non_payment) : unmatched(index);
  return non_payment || match_by_reference(named, entry, index, result);
}

void Reconciler::Run::by_amount(const BankEntry& entry, std::size_t index, EntryResult& result) {
  if (!amount_indexed_) index_untaken_by_amount();
  const auto& amount = entry.amount;
  const auto tolerance_minor = tolerance(amount.currency);
  std::size_t count = 0;
  std::vector<std::size_t> fitting;  // the first few, for the message
  const auto found = by_amount_.find(std::string(amount.currency.code()));
  if (found != by_amount_.end()) {
    // amount_due - tolerance <= amount  <=>  amount_due <= amount + tolerance
    std::tie(count, fitting) =
        found->second.covered(saturating_add(amount.minor, tolerance_minor), kNamesInMessages);
  }
  const auto tolerance_text = format_amount(Money{tolerance_minor, amount.currency});
  if (count == 1) {
    const auto& invoice = invoices_[fitting.front()];
    found->second.take(fitting.front(), invoice.amount_due.minor);
    take(fitting.front(), index, result, MatchedBy::amount);
    result.explanation = fmt::format(
        "no reference names an open invoice; {} covers only open invoice {} (due {}, "
        "tolerance {})",
        format_money(amount), invoice.external_id, format_money(invoice.amount_due), tolerance_text);
  } else if (count == 0) {
    result.explanation = fmt::format(
        "no reference names an open invoice, and no open invoice in {} is due {} or less "
        "(tolerance {})",
        amount.currency.code(), format_amount(amount), tolerance_text);
  } else {
    std::vector<const OpenInvoice*> invoices;
    for (const auto j : fitting) invoices.push_back(&invoices_[j]);
    if (count > invoices.size()) invoices.push_back(nullptr);  // "..." for the rest
    result.explanation = fmt::format(
        "no reference names an open invoice, and {} covers {} open invoices ({}); "
        "ambiguous, left to the operator",
        format_money(amount), count, invoice_names(invoices));
  }
}

std::vector<NamedInvoice> Reconciler::Run::named_invoices(const BankEntry& entry) const {
  std::vector<NamedInvoice> named;
  for (const auto& reference : entry.references) {
    const auto key = fold_case_hash(reference.value);
    auto found = std::lower_bound(by_external_id_.begin(), by_external_id_.end(), key,
                                  [](const auto& item, std::uint64_t k) { return item.first < k; });
    for (; found != by_external_id_.end() && found->first == key; ++found) {
      const auto j = found->second;
      const auto& invoice = invoices_[j];
      if (!equals_ignore_case(invoice.external_id, reference.value) &&
          !equals_ignore_case(invoice.number, reference.value))
        continue;  // another id, same hash
      const bool seen =
          std::any_of(named.begin(), named.end(), [&](const NamedInvoice& n) { return n.invoice == j; });
      if (!seen) named.push_back({j, reference.value});
    }
  }
  return named;
}

// True when the references settled the entry, matched or not: once a payer has named an
// invoice, guessing another one by amount would be wrong.
bool Reconciler::Run::match_by_reference(const std::vector<NamedInvoice>& named, const BankEntry& entry,
                                         std::size_t index, EntryResult& result) {
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
                                     named.front().reference, invoice.external_id, origin_of_(*other));
  } else {
    take(named.front().invoice, index, result, MatchedBy::reference);
    result.explanation = named_explanation(named.front().reference, invoice.external_id);
  }
  return true;
}

void Reconciler::Run::index_untaken_by_amount() {
  amount_indexed_ = true;
  for (std::size_t j = 0; j < invoices_.size(); ++j) {
    const auto& due = invoices_[j].amount_due;
    if (!taken_by_[j] && due.minor > 0) by_amount_[std::string(due.currency.code())].add(j, due.minor);
  }
  for (auto& [currency, index] : by_amount_) index.seal();
}

void Reconciler::Run::take(std::size_t invoice, std::size_t index, EntryResult& result, MatchedBy how) {
  taken_by_[invoice] = index;
  result.outcome = Outcome::matched;
  result.matched_by = how;
  result.invoice_id = invoices_[invoice].id;
  result.customer_id = invoices_[invoice].customer_id;
  result.invoice_external_id = invoices_[invoice].external_id;
  result.customer_external_id = invoices_[invoice].customer_external_id;
}

Reconciler::Reconciler(std::span<const OpenInvoice> open_invoices, const ToleranceIn& tolerance_minor_in,
                       std::function<std::string(std::size_t)> origin_of)
    : run_(std::make_unique<Run>(open_invoices, tolerance_minor_in, std::move(origin_of))) {}

Reconciler::~Reconciler() = default;

bool Reconciler::by_reference(const BankEntry& entry, std::size_t index, EntryResult& result) {
  return run_->by_reference(entry, index, run_->named_invoices(entry), result);
}

bool Reconciler::by_reference(const BankEntry& entry, std::size_t index, std::vector<NamedInvoice> named,
                              EntryResult& result) {
  return run_->by_reference(entry, index, std::move(named), result);
}

std::vector<NamedInvoice> Reconciler::named_invoices(const BankEntry& entry) const {
  return run_->named_invoices(entry);
}

const OpenInvoice& Reconciler::invoice(std::size_t position) const { return run_->invoice(position); }

std::string named_explanation(std::string_view reference, std::string_view invoice_external_id) {
  return fmt::format("reference {} names open invoice {}", reference, invoice_external_id);
}

void Reconciler::by_amount(const BankEntry& entry, std::size_t index, EntryResult& result) {
  run_->by_amount(entry, index, result);
}

std::vector<EntryResult> reconcile(std::span<const BankEntry> entries,
                                   std::span<const OpenInvoice> open_invoices, std::int64_t tolerance_minor) {
  return reconcile(entries, open_invoices, [tolerance_minor](const Currency&) { return tolerance_minor; });
}

std::vector<EntryResult> reconcile(std::span<const BankEntry> entries,
                                   std::span<const OpenInvoice> open_invoices,
                                   const ToleranceIn& tolerance_minor_in) {
  Reconciler reconciler(open_invoices, tolerance_minor_in,
                        [entries](std::size_t i) { return entries[i].origin; });
  std::vector<EntryResult> results(entries.size());
  std::vector<std::size_t> left_for_amount;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (!reconciler.by_reference(entries[i], i, results[i])) left_for_amount.push_back(i);
  }
  for (const auto i : left_for_amount) reconciler.by_amount(entries[i], i, results[i]);
  return results;
}

std::string_view to_string(Outcome outcome) {
  static constexpr EnumName<Outcome> kNames[]{
      {Outcome::matched, "matched"}, {Outcome::unmatched, "unmatched"}, {Outcome::returned, "returned"}};
  return name_of(kNames, outcome, "unknown");
}

std::string_view to_string(MatchedBy matched_by) {
  return matched_by == MatchedBy::reference ? "reference" : "amount";
}

}  // namespace cobrador::bank
