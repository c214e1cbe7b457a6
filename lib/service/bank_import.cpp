// Implements the import of a bank statement as a pipeline over the file's entries, so that a
// statement of 100,000 entries is never held whole (docs/benchmarks.md, bank import): parse
// (pure, streamed for camt), drop what earlier imports recorded, reconcile (pure, the first
// pass entry by entry: bank::Reconciler), then write each batch's consequences and entries;
// the entries the first pass leaves for matching by amount wait for the end of the file. The
// entry is recorded after its consequence, under a UNIQUE identity: should another importer
// have recorded it meanwhile, the insert finds it and the whole import is rolled back rather
// than paying an invoice twice.
#include "service/bank_import.hpp"

#include <algorithm>
#include <functional>
#include <iterator>
#include <limits>
#include <map>
#include <memory>
#include <numeric>
#include <optional>
#include <set>
#include <unordered_set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "bank/camt_reading_thread.hpp"
#include "bank/camt_stream.hpp"
#include "bank/entry_identity.hpp"
#include "bank/reconcile.hpp"
#include "bank/return_reasons.hpp"
#include "bank/statement.hpp"
#include "domain/source_ids.hpp"
#include "service/bank_payment.hpp"
#include "service/billing.hpp"
#include "service/causes.hpp"
#include "util/dump_json.hpp"

namespace cobrador::service {

namespace {

using nlohmann::json;
using Record = store::BankEntryRecord;

std::string method_of(const bank::BankEntry& entry) {
  for (const auto& reference : entry.references) {
    if (reference.kind == bank::ReferenceKind::pix_txid) return "pix";
  }
  switch (entry.format) {
    case bank::Format::camt053:
    case bank::Format::camt054:
      return "transfer";
    case bank::Format::cnab240:
      return "boleto";
    case bank::Format::csv:
      return "bank";
    case bank::Format::pix:
      return "pix";
  }
  return "bank";
}

// What identifies the transfer at the bank, kept as the payment's reference: a returned
// debit names its original by it.
std::string bank_reference(const bank::BankEntry& entry, const std::string& matched_reference) {
  using Kind = bank::ReferenceKind;
  for (const auto kind : {Kind::end_to_end_id, Kind::nosso_numero, Kind::pix_txid, Kind::csv_reference}) {
    for (const auto& reference : entry.references) {
      if (reference.kind == kind) return reference.value;
    }
  }
  return matched_reference;
}

std::vector<std::string> reference_values(const bank::BankEntry& entry) {
  std::vector<std::string> values;
  for (const auto& reference : entry.references) values.push_back(reference.value);
  return values;
}

// The entry's line in the report. It takes the entry's strings (origin, identity, return
// reason, references), the last thing done with the entry before its row takes them back from
// the line (record_of): they are not copied per entry.
BankLine take_line(bank::BankEntry& entry, std::string outcome, std::string explanation) {
  BankLine line;
  line.origin = std::move(entry.origin);
  line.identity = std::move(entry.identity);
  line.amount = entry.amount;
  line.direction = std::string(bank::to_string(entry.direction));
  line.booked_on = entry.booking_date;
  line.outcome = std::move(outcome);
  line.return_reason = std::move(entry.return_reason);
  line.references.reserve(entry.references.size());
  for (auto& reference : entry.references) line.references.push_back(std::move(reference.value));
  line.explanation = std::move(explanation);
  return line;
}

// The entry's row; it takes the strings of `line`, which is kept (packed) already.
Record record_of(bank::BankEntry& entry, std::int64_t import_id, BankLine& line) {
  Record r;
  r.import_id = import_id;
  r.identity = std::move(line.identity);
  r.origin = std::move(line.origin);
  r.booking_date = entry.booking_date;
  r.amount = entry.amount;
  r.direction = std::move(line.direction);
  r.status_code = std::move(entry.status_code);
  r.reversal = entry.reversal;
  r.return_reason = std::move(line.return_reason);
  r.references = std::move(line.references);
  r.outcome = line.outcome == "confirmed_claim" ? "matched" : std::move(line.outcome);
  r.explanation = std::move(line.explanation);
  return r;
}

// Entries go through the first pass and are written this many at a time (as the reading
// thread hands them out).
constexpr std::size_t kBatch = 1024;

class Importer {
 public:
  Importer(store::Store& store, const policy::Policy& policy, const BankImportRequest& request, Instant now)
      : store_(store),
        policy_(policy),
        request_(request),
        now_(now),
        origin_{"bank:" + request.source, ""},
        tolerance_([&policy](const Currency& currency) {
          return policy.payments.match_tolerance.minor_units_in(currency);
        }) {}

  // An entry of the file, its identity numbered, with what was found out about it ahead,
  // before it is its turn (read_ahead): nothing for entries that come from no reading thread.
  struct Read {
    bank::BankEntry entry;
    std::optional<std::vector<bank::NamedInvoice>> named;  // the invoices its references name
    std::optional<NewBankPayment> likely;                  // what it will most likely pay, built ahead
  };

  // Before the entries, for a file read on a thread of its own: the open invoices and claims
  // (otherwise read at the first new entry), so that read_ahead has them.
  void load_book();
  // On the reading thread, while the store's thread works on earlier entries: what needs no
  // store and decides nothing. Reads only what load_book() read; the first call also indexes
  // it for reconciliation (index_book), there rather than on the store's thread, which gets the
  // index with the first entries handed to it.
  Read read_ahead(bank::BankEntry entry);
  // The next entry of the file. An Error: roll back.
  Status add(Read read);
  Status add(bank::BankEntry entry) { return add(Read{std::move(entry), {}, {}}); }
  // After the last entry: the amount pass, settling, the import's counts and audit row.
  Result<BankImportReport> finish(std::string_view format);
  // The format's name for the report and the import's row, when known before the entries
  // (otherwise the first new entry's).
  void name_format(std::string_view format) { report_.format = std::string(format); }

 private:
  // An entry that is new, with its place in the file and what reconciliation made of it.
  struct Pending {
    Read read;
    std::size_t position = 0;
    bank::EntryResult result;
  };
  // What writing an entry's consequence gave: its line, and the rows its record points to.
  struct Written {
    BankLine line;
    std::optional<std::int64_t> invoice_id;
    std::optional<std::int64_t> payment_id;
  };

  void index_book();
  void start(std::string_view format);
  Status flush();
  Status apply(std::vector<Pending>& settled);
  Result<Written> consequence(Pending& pending);
  Result<Written> pay(Pending& pending);
  BankCredit credit_of(const bank::BankEntry& entry, std::int64_t invoice_id,
                       const std::string& invoice_ext_id, const std::string& matched_reference) const;
  Origin origin_of(const bank::BankEntry& entry, const std::string& explanation) const;
  Written give_back(bank::BankEntry& entry, const bank::EntryResult& result);
  BankLine leave_to_operator(bank::BankEntry& entry, std::string kind, const std::string& why);
  const std::string& customer_ext_id(std::int64_t customer_id);
  void credit_customers();
  std::string origin_at(std::size_t position) const;
  void keep(std::size_t position, const BankLine& line);

  store::Store& store_;
  const policy::Policy& policy_;
  const BankImportRequest& request_;
  Instant now_;
  Origin origin_;
  bank::ToleranceIn tolerance_;
  BankImportReport report_;
  std::size_t total_ = 0;
  bool started_ = false;
  std::int64_t import_id_ = 0;
  std::int64_t first_entry_id_ = 0;  // the id of the file's first entry in bank_entries
  std::vector<bank::OpenInvoice> open_;
  bool book_loaded_ = false;
  std::unique_ptr<bank::Reconciler> reconciler_;
  std::unordered_set<std::int64_t> claimed_invoices_;
  std::vector<Pending> batch_;          // new entries not through the first pass yet
  std::vector<Pending> leftovers_;      // left by the first pass for matching by amount
  std::vector<std::int64_t> touched_;   // customers to settle (repeats removed at the end)
  std::vector<std::int64_t> credited_;  // customers paid for and not credited yet (credit_customers)
  std::map<std::int64_t, std::string> customer_ids_;  // of returned payments' customers
};

Status Importer::add(Read read) {
  auto& entry = read.entry;
  const auto position = total_++;
  if (!entry.booked) {
    // Not recorded: the same identity comes back booked later, and then it counts.
    keep(position, take_line(entry, "not_booked",
                             fmt::format("not booked (status {}); recorded once the bank books it",
                                         entry.status_code)));
    return Ok{};
  }
  if (store_.bank_entry_recorded(entry.identity)) {
    keep(position, take_line(entry, "already_imported", "recorded by an earlier import"));
    return Ok{};
  }
  if (!started_) start(bank::to_string(entry.format));
  batch_.push_back({std::move(read), position, {}});
  if (batch_.size() < kBatch) return Ok{};
  return flush();
}

void Importer::load_book() {
  book_loaded_ = true;
  open_ = store_.open_invoices_to_match();
  if (!request_.sources.empty()) {
    for (auto& invoice : open_) invoice.number = own_id_in_any(invoice.external_id, request_.sources);
  }
  for (const auto invoice : store_.invoices_with_claims()) claimed_invoices_.insert(invoice);
}

void Importer::index_book() {
  reconciler_ = std::make_unique<bank::Reconciler>(
      open_, tolerance_, [this](std::size_t position) { return origin_at(position); });
}

// A booked credit whose references name exactly one open invoice, in its currency, pays that
// invoice unless an earlier entry of the file took it: its payment and audit row are built here,
// and the store's thread uses them when it decides so (pay).
Importer::Read Importer::read_ahead(bank::BankEntry entry) {
  if (!reconciler_) index_book();
  Read read{std::move(entry), {}, {}};
  const auto& e = read.entry;
  if (!e.booked || e.direction != bank::Direction::credit || e.reversal) return read;
  read.named = reconciler_->named_invoices(e);
  if (read.named->size() != 1) return read;
  const auto& named = read.named->front();
  const auto& invoice = reconciler_->invoice(named.invoice);
  if (invoice.amount_due.currency != e.amount.currency) return read;
  read.likely = new_bank_payment(credit_of(e, invoice.id, invoice.external_id, named.reference),
                                 invoice.customer_external_id, now_,
                                 origin_of(e, bank::named_explanation(named.reference, invoice.external_id)));
  return read;
}

// At the first new entry, before anything is written: the open invoices to match against
// (unless read before) and the import's row.
void Importer::start(std::string_view format) {
  started_ = true;
  if (report_.format.empty()) report_.format = std::string(format);
  if (!book_loaded_) load_book();
  if (!reconciler_) index_book();
  import_id_ = store_.add_bank_import(
      {0, request_.source, request_.label, report_.format, request_.actor, now_, 0, 0, 0, 0, 0});
  first_entry_id_ = store_.last_bank_entry_id() + 1;
}

// The first pass over the batch, then the writes of what it settled.
Status Importer::flush() {
  std::vector<char> settled_now(batch_.size());
  for (std::size_t i = 0; i < batch_.size(); ++i) {
    auto& pending = batch_[i];
    auto& read = pending.read;
    const bool settled = read.named ? reconciler_->by_reference(read.entry, pending.position,
                                                                std::move(*read.named), pending.result)
                                    : reconciler_->by_reference(read.entry, pending.position, pending.result);
    settled_now[i] = settled ? 1 : 0;
  }
  std::vector<Pending> settled;
  settled.reserve(batch_.size());
  for (std::size_t i = 0; i < batch_.size(); ++i) {
    (settled_now[i] ? settled : leftovers_).push_back(std::move(batch_[i]));
  }
  batch_.clear();
  return apply(settled);
}

// In file order, which is the order of the statement's own references (a bank numbers its
// lines): their UNIQUE indexes then grow at one end instead of all over (faster than invoice
// order, measured: docs/benchmarks.md). Each entry is recorded, and its line kept, right after
// its consequence.
Status Importer::apply(std::vector<Pending>& settled) {
  for (auto& pending : settled) {
    auto done = consequence(pending);
    if (!done) return done.error();
    auto& entry = pending.read.entry;
    auto& line = done->line;
    keep(pending.position, line);  // packed: the record may take the line's strings
    auto row = record_of(entry, import_id_, line);
    // Numbered by position, so that the rows are in file order (`list unmatched`) although
    // the amount pass's entries are written last.
    row.id = first_entry_id_ + static_cast<std::int64_t>(pending.position);
    row.invoice_id = done->invoice_id;
    row.payment_id = done->payment_id;
    if (!store_.record_bank_entry(row)) {
      return make_error(
          fmt::format("{}: {}: entry {} was recorded by another import meanwhile; nothing imported",
                      request_.label, row.origin, row.identity));
    }
    pending.read = {};  // its line and its row are written: its strings are not needed
  }
  return Ok{};
}

Result<Importer::Written> Importer::consequence(Pending& pending) {
  auto& entry = pending.read.entry;
  const auto& result = pending.result;
  switch (result.outcome) {
    case bank::Outcome::matched:
      return pay(pending);
    case bank::Outcome::returned:
      return give_back(entry, result);
    case bank::Outcome::unmatched:
      break;
  }
  if (entry.direction == bank::Direction::credit && !entry.reversal) {
    return Written{leave_to_operator(entry, "unmatched_payment", result.explanation), {}, {}};
  }
  return Written{take_line(entry, "ignored", result.explanation), {}, {}};
}

Result<BankImportReport> Importer::finish(std::string_view format) {
  if (report_.format.empty()) report_.format = std::string(format);
  if (!batch_.empty()) {
    if (auto flushed = flush(); !flushed) return flushed.error();
  }
  if (reconciler_) {
    for (auto& pending : leftovers_)
      reconciler_->by_amount(pending.read.entry, pending.position, pending.result);
    if (auto applied = apply(leftovers_); !applied) return applied.error();
  }
  leftovers_ = {};
  reconciler_.reset();
  open_ = {};
  credit_customers();
  // A payment marks its customer for the next walk (touch); only those whose episode,
  // promise or suspension it may end now are decided again at once.
  std::sort(touched_.begin(), touched_.end());
  touched_.erase(std::unique(touched_.begin(), touched_.end()), touched_.end());
  std::set<std::int64_t> to_settle;
  if (!touched_.empty()) {
    for (const auto customer : store_.customers_in_dunning()) {
      if (std::binary_search(touched_.begin(), touched_.end(), customer)) to_settle.insert(customer);
    }
  }
  settle(store_, policy_, to_settle, now_, origin_.actor);
  if (import_id_ != 0) {
    report_.import_id = import_id_;
    store_.set_bank_import_counts({import_id_, request_.source, request_.label, report_.format,
                                   request_.actor, now_, static_cast<int>(total_), report_.matched,
                                   report_.unmatched, report_.returned, report_.already_imported});
    store_.audit({0, now_, request_.actor, fmt::format("bank_import:{}", import_id_),
                  "bank_statement_imported",
                  dump_json(json{{"file", request_.label},
                                 {"source", request_.source},
                                 {"format", report_.format},
                                 {"via", request_.where},
                                 {"entries", total_},
                                 {"matched", report_.matched},
                                 {"unmatched", report_.unmatched},
                                 {"returned", report_.returned},
                                 {"already_imported", report_.already_imported},
                                 {"ignored", report_.ignored},
                                 {"not_booked", report_.not_booked}})});
  }
  return std::move(report_);
}

BankCredit Importer::credit_of(const bank::BankEntry& entry, std::int64_t invoice_id,
                               const std::string& invoice_ext_id,
                               const std::string& matched_reference) const {
  return {invoice_id,         invoice_ext_id, entry.amount,
          entry.booking_date, entry.identity, bank_reference(entry, matched_reference),
          method_of(entry),   request_.source};
}

// What the payment's audit row names as its source: the file, the line, why it matched.
Origin Importer::origin_of(const bank::BankEntry& entry, const std::string& explanation) const {
  Origin origin = origin_;
  origin.source = fmt::format("{}: {}: {}", request_.label, entry.origin, explanation);
  return origin;
}

// A credit for an invoice without a claim is a new payment, as read_ahead built it when the
// decision is the one it foresaw (built now otherwise); a claim waiting on the invoice, or a
// payment with the credit's id already there, goes through confirm_bank_credit.
Result<Importer::Written> Importer::pay(Pending& pending) {
  auto& entry = pending.read.entry;
  const auto& result = pending.result;
  auto& likely = pending.read.likely;
  // The credit and the audit's origin, built only when read_ahead's rows do not serve.
  const auto credit = [&] {
    return credit_of(entry, result.invoice_id, result.invoice_external_id, result.matched_reference);
  };
  const auto origin = [&] { return origin_of(entry, result.explanation); };
  const Payment* payment = nullptr;
  std::optional<ConfirmedCredit> confirmed;  // the other paths' payment
  if (!claimed_invoices_.contains(result.invoice_id)) {
    const bool foreseen = likely && result.matched_by == bank::MatchedBy::reference &&
                          likely->payment.invoice_id == result.invoice_id;
    if (!foreseen) likely = new_bank_payment(credit(), result.customer_external_id, now_, origin());
    if (add_new_bank_payment(store_, *likely, now_)) payment = &likely->payment;
  }
  if (!payment) {
    auto done = confirm_bank_credit(store_, credit(), now_, origin());
    if (!done)
      return make_error(fmt::format("{}: {}: {}", request_.label, entry.origin, done.error().message));
    confirmed = std::move(*done);
    payment = &confirmed->payment;
  }
  const bool confirmed_claim = confirmed && confirmed->confirmed_claim;
  touched_.push_back(result.customer_id);
  credited_.push_back(result.customer_id);
  auto line = take_line(entry, confirmed_claim ? "confirmed_claim" : "matched",
                        confirmed_claim ? fmt::format("{}; confirms the customer's claim {}",
                                                      result.explanation, payment->ext_id)
                                        : result.explanation);
  line.invoice_id = result.invoice_external_id;
  line.payment_id = payment->ext_id;
  line.customer_id = result.customer_external_id;
  line.matched_by = std::string(bank::to_string(result.matched_by));
  return Written{std::move(line), result.invoice_id, payment->id};
}

Importer::Written Importer::give_back(bank::BankEntry& entry, const bank::EntryResult& result) {
  const auto payment = store_.payment_to_return(reference_values(entry), entry.amount);
  if (!payment) {
    return {leave_to_operator(
                entry, "unmatched_return",
                fmt::format("{}; no confirmed payment has one of these references", result.explanation)),
            {},
            {}};
  }
  credit_customers();  // the credits so far written through before the return counts the run
  const auto customer_id = store_.return_payment(payment->id, entry.return_reason);
  touched_.push_back(customer_id);
  note_return_cause(store_, customer_id, customer_ext_id(customer_id), entry.return_reason, now_,
                    origin_.actor);
  const auto reason = std::string(bank::describe_return_reason(entry.return_reason));
  store_.audit(
      {0, now_, origin_.actor, "customer:" + customer_ext_id(customer_id), "payment_returned",
       dump_json(json{{"payment", payment->ext_id},
                      {"invoice", payment->invoice_ext_id},
                      {"amount", format_amount(entry.amount)},
                      {"currency", entry.amount.currency.code()},
                      {"reason", entry.return_reason},
                      {"reason_text", reason},
                      {"bank_entry", entry.identity},
                      {"source", fmt::format("{}: {}", request_.label, entry.origin)},
                      {"rule", "a returned direct debit undoes its payment; the invoice is owed again"}})});
  auto line = take_line(entry, "returned",
                        fmt::format("payment {} of invoice {} returned ({}{}); the invoice is owed again",
                                    payment->ext_id, payment->invoice_ext_id,
                                    entry.return_reason.empty() ? "no reason given" : entry.return_reason,
                                    reason.empty() ? "" : fmt::format(": {}", reason)));
  line.invoice_id = payment->invoice_ext_id;
  line.payment_id = payment->ext_id;
  line.customer_id = customer_ext_id(customer_id);
  return {std::move(line), payment->invoice_id, payment->id};
}

// Money (or a return) that the operator must place by hand: kept in the unmatched list, alerted.
BankLine Importer::leave_to_operator(bank::BankEntry& entry, std::string kind, const std::string& why) {
  store_.add_alert(now_, kind, "bank_entry:" + entry.identity,
                   fmt::format("{} {} of {} on {} ({}: {}): {}",
                               entry.direction == bank::Direction::credit ? "credit" : "debit",
                               entry.identity, format_money(entry.amount), format_date(entry.booking_date),
                               request_.label, entry.origin, why));
  return take_line(entry, "unmatched", why);
}

// The customers paid for since the last time, in id order, once each (store credit_customers).
void Importer::credit_customers() {
  std::sort(credited_.begin(), credited_.end());
  credited_.erase(std::unique(credited_.begin(), credited_.end()), credited_.end());
  store_.credit_customers(credited_);
  credited_.clear();
}

const std::string& Importer::customer_ext_id(std::int64_t customer_id) {
  auto found = customer_ids_.find(customer_id);
  if (found == customer_ids_.end()) {
    const auto customer = store_.customer(customer_id);
    found = customer_ids_.emplace(customer_id, customer ? customer->ext_id : std::string()).first;
  }
  return found->second;
}

// The origin of an entry seen before (for "already matched in this run by ..."): still in the
// batch, or written, with its line kept.
std::string Importer::origin_at(std::size_t position) const {
  const auto by_position = [](const Pending& pending, std::size_t p) { return pending.position < p; };
  for (const auto* pendings : {&batch_, &leftovers_}) {
    const auto found = std::lower_bound(pendings->begin(), pendings->end(), position, by_position);
    if (found != pendings->end() && found->position == position) return found->read.entry.origin;
  }
  return report_.lines[position].origin;
}

void Importer::keep(std::size_t position, const BankLine& line) {
  const auto& outcome = line.outcome;
  if (outcome == "matched" || outcome == "confirmed_claim")
    ++report_.matched;
  else if (outcome == "unmatched")
    ++report_.unmatched;
  else if (outcome == "returned")
    ++report_.returned;
  else if (outcome == "already_imported")
    ++report_.already_imported;
  else if (outcome == "not_booked")
    ++report_.not_booked;
  else
    ++report_.ignored;
  report_.lines.set(position, line);
}

constexpr std::size_t kPiece = 1 << 20;  // bytes read from a stream at a time

// A camt document fed to the importer as it is read, parsed on a thread of its own
// (bank/camt_reading_thread). `read_more` gives the next bytes ("" at the end), on that thread.
// A syntax error is expat's, with its line and column: a broken file is never read a second
// time, nor held whole.
Result<BankImportReport> import_camt(Importer& importer, const BankImportRequest& request,
                                     const std::function<std::string_view()>& read_more) {
  // The file is read while the book is: read_ahead needs the open invoices.
  bank::CamtReadingThread<Importer::Read> reader(
      read_more, [&importer](bank::BankEntry&& entry) { return importer.read_ahead(std::move(entry)); },
      request.encoding);
  importer.load_book();
  reader.start_preparing();
  for (auto batch = reader.next(); !batch.empty(); batch = reader.next()) {
    for (auto& read : batch) {
      // A store refusal, named already; leaving stops the reading.
      if (auto added = importer.add(std::move(read)); !added) return added.error();
    }
  }
  auto format = reader.finish();
  if (!format) {
    const auto& error = format.error();
    return request.label.empty() ? error : make_error(fmt::format("{}: {}", request.label, error.message));
  }
  return importer.finish(bank::to_string(*format));
}

std::string_view without_bom(std::string_view content) {
  constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
  if (content.starts_with(kUtf8Bom)) content.remove_prefix(kUtf8Bom.size());
  return content;
}

}  // namespace

Result<BankImportReport> import_bank_statement(store::Store& store, const policy::Policy& policy,
                                               std::string_view content, const BankImportRequest& request,
                                               Instant now) {
  Importer importer(store, policy, request, now);
  if (bank::looks_like_xml(content)) {
    content = without_bom(content);
    std::size_t offset = 0;
    return import_camt(importer, request, [&]() {
      const auto piece = content.substr(offset, kPiece);
      offset += piece.size();
      return piece;
    });
  }
  auto statement = bank::read_statement(content, request.label, request.encoding);
  if (!statement) return statement.error();
  importer.name_format(bank::to_string(statement->format));
  for (auto& entry : statement->entries) {
    if (auto added = importer.add(std::move(entry)); !added) return added.error();
  }
  return importer.finish(bank::to_string(statement->format));
}

Result<BankImportReport> import_bank_statement(store::Store& store, const policy::Policy& policy,
                                               std::istream& in, const BankImportRequest& request,
                                               Instant now) {
  std::string buffer(kPiece, '\0');
  std::uint64_t read = 0;
  const auto read_piece = [&]() -> std::string_view {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    const auto got = static_cast<std::size_t>(in.gcount());
    read += got;
    if (request.progress && got > 0) request.progress(read, 0);
    return {buffer.data(), got};
  };
  std::string head(read_piece());
  if (!bank::looks_like_xml(head)) {  // CNAB 240, CSV, or blanks only: read whole
    for (auto piece = read_piece(); !piece.empty(); piece = read_piece()) head.append(piece);
    return import_bank_statement(store, policy, std::string_view(head), request, now);
  }
  Importer importer(store, policy, request, now);
  bool first = true;
  return import_camt(importer, request, [&]() -> std::string_view {
    if (first) {
      first = false;
      return without_bom(head);
    }
    return read_piece();
  });
}

Result<BankImportReport> import_bank_entries(store::Store& store, const policy::Policy& policy,
                                             std::vector<bank::BankEntry> entries, std::string_view format,
                                             const BankImportRequest& request, Instant now) {
  bank::number_repeated_identities(entries);
  Importer importer(store, policy, request, now);
  importer.name_format(format);
  for (auto& entry : entries) {
    if (auto added = importer.add(std::move(entry)); !added) return added.error();
  }
  return importer.finish(format);
}

}  // namespace cobrador::service
