// Implements the import of a bank statement: parse (pure), drop what earlier imports
// recorded, reconcile (pure), then write each entry's consequence and the entry itself. The
// entry is recorded after its consequence, under a UNIQUE identity: should another importer
// have recorded it meanwhile, the insert finds it and the whole import is rolled back rather
// than paying an invoice twice.
#include "service/bank_import.hpp"

#include <map>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "bank/entry_identity.hpp"
#include "bank/reconcile.hpp"
#include "bank/return_reasons.hpp"
#include "bank/statement.hpp"
#include "service/bank_payment.hpp"
#include "service/billing.hpp"

namespace cobrador::service {

namespace {

using nlohmann::json;
using Record = store::Store::BankEntryRecord;

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

BankLine line_of(const bank::BankEntry& entry, std::string outcome, std::string explanation) {
  BankLine line;
  line.origin = entry.origin;
  line.identity = entry.identity;
  line.amount = entry.amount;
  line.direction = std::string(bank::to_string(entry.direction));
  line.booked_on = entry.booking_date;
  line.outcome = std::move(outcome);
  line.return_reason = entry.return_reason;
  line.references = reference_values(entry);
  line.explanation = std::move(explanation);
  return line;
}

Record record_of(const bank::BankEntry& entry, std::int64_t import_id, const BankLine& line) {
  Record r;
  r.import_id = import_id;
  r.identity = entry.identity;
  r.origin = entry.origin;
  r.booking_date = entry.booking_date;
  r.amount = entry.amount;
  r.direction = line.direction;
  r.status_code = entry.status_code;
  r.reversal = entry.reversal;
  r.return_reason = entry.return_reason;
  r.references = line.references;
  r.outcome = line.outcome == "confirmed_claim" ? "matched" : line.outcome;
  r.explanation = line.explanation;
  return r;
}

class Importer {
 public:
  Importer(store::Store& store, const policy::Policy& policy, const BankImportRequest& request, Instant now)
      : store_(store),
        policy_(policy),
        request_(request),
        now_(now),
        origin_{"bank:" + request.source, ""} {}

  Result<BankImportReport> run(std::vector<bank::BankEntry> entries, std::string_view format);

 private:
  Status apply(const bank::BankEntry& entry, const bank::EntryResult& result, std::int64_t import_id);
  Result<BankLine> pay(const bank::BankEntry& entry, const bank::EntryResult& result, Record& record);
  BankLine give_back(const bank::BankEntry& entry, const bank::EntryResult& result, Record& record);
  BankLine leave_to_operator(const bank::BankEntry& entry, std::string kind, const std::string& why);
  const std::string& customer_ext_id(std::int64_t customer_id);
  void count(const BankLine& line);

  store::Store& store_;
  const policy::Policy& policy_;
  const BankImportRequest& request_;
  Instant now_;
  Origin origin_;
  BankImportReport report_;
  std::set<std::int64_t> touched_;  // customers to settle
  std::map<std::int64_t, std::string> customer_ids_;
};

Result<BankImportReport> Importer::run(std::vector<bank::BankEntry> entries, std::string_view format) {
  report_.format = std::string(format);
  const auto total = entries.size();
  // The new entries are moved to the front of `entries` (no copy: a large statement holds
  // 100,000 of them); the lines of the others are kept with their position in the file, so
  // that the report follows the file.
  std::vector<std::pair<std::size_t, BankLine>> settled;
  std::vector<std::size_t> fresh_position;
  std::size_t fresh = 0;
  for (std::size_t i = 0; i < total; ++i) {
    auto& entry = entries[i];
    if (!entry.booked) {
      // Not recorded: the same identity comes back booked later, and then it counts.
      settled.emplace_back(i, line_of(entry, "not_booked",
                                      fmt::format("not booked (status {}); recorded once the bank books it",
                                                  entry.status_code)));
    } else if (store_.bank_entry_recorded(entry.identity)) {
      settled.emplace_back(i, line_of(entry, "already_imported", "recorded by an earlier import"));
    } else {
      if (fresh != i) entries[fresh] = std::move(entry);
      fresh_position.push_back(i);
      ++fresh;
    }
  }
  entries.resize(fresh);
  std::vector<bank::EntryResult> results;
  std::int64_t import_id = 0;
  if (!entries.empty()) {
    const auto open = store_.open_invoices_to_match();
    const auto& tolerance = policy_.payments.match_tolerance;
    results = bank::reconcile(entries, open,
                              [&tolerance](const Currency& currency) { return tolerance.minor_units_in(currency); });
    import_id = store_.add_bank_import(
        {0, request_.source, request_.label, report_.format, request_.actor, now_, 0, 0, 0, 0, 0});
  }
  report_.lines.reserve(total);
  auto next_settled = settled.begin();
  std::size_t next_fresh = 0;
  for (std::size_t i = 0; i < total; ++i) {
    if (next_fresh < fresh && fresh_position[next_fresh] == i) {
      if (auto status = apply(entries[next_fresh], results[next_fresh], import_id); !status) return status.error();
      // Its line and its row are written: the entry's strings are not needed any more.
      entries[next_fresh] = bank::BankEntry{};
      ++next_fresh;
    } else {
      count(next_settled->second);
      report_.lines.push_back(std::move(next_settled->second));
      ++next_settled;
    }
  }
  settle(store_, policy_, touched_, now_, origin_.actor);
  if (import_id != 0) {
    report_.import_id = import_id;
    store_.set_bank_import_counts({import_id, request_.source, request_.label, report_.format, request_.actor, now_,
                                   static_cast<int>(total), report_.matched, report_.unmatched,
                                   report_.returned, report_.already_imported});
    store_.audit({0, now_, request_.actor, fmt::format("bank_import:{}", import_id), "bank_statement_imported",
                  json{{"file", request_.label},
                       {"source", request_.source},
                       {"format", report_.format},
                       {"via", request_.where},
                       {"entries", total},
                       {"matched", report_.matched},
                       {"unmatched", report_.unmatched},
                       {"returned", report_.returned},
                       {"already_imported", report_.already_imported}}
                      .dump()});
  }
  return std::move(report_);
}

Status Importer::apply(const bank::BankEntry& entry, const bank::EntryResult& result, std::int64_t import_id) {
  BankLine line;
  Record record;
  switch (result.outcome) {
    case bank::Outcome::matched: {
      auto paid = pay(entry, result, record);
      if (!paid) return paid.error();
      line = std::move(*paid);
      break;
    }
    case bank::Outcome::returned:
      line = give_back(entry, result, record);
      break;
    case bank::Outcome::unmatched:
      if (entry.direction == bank::Direction::credit && !entry.reversal) {
        line = leave_to_operator(entry, "unmatched_payment", result.explanation);
      } else {
        line = line_of(entry, "ignored", result.explanation);
      }
      break;
  }
  auto row = record_of(entry, import_id, line);
  row.invoice_id = record.invoice_id;
  row.payment_id = record.payment_id;
  if (!store_.record_bank_entry(row)) {
    return make_error(fmt::format("{}: {}: entry {} was recorded by another import meanwhile; nothing imported",
                                  request_.label, entry.origin, entry.identity));
  }
  count(line);
  report_.lines.push_back(std::move(line));
  return Ok{};
}

Result<BankLine> Importer::pay(const bank::BankEntry& entry, const bank::EntryResult& result, Record& record) {
  BankCredit credit{result.invoice_id,
                    result.invoice_external_id,
                    entry.amount,
                    entry.booking_date,
                    entry.identity,
                    bank_reference(entry, result.matched_reference),
                    method_of(entry),
                    request_.source};
  Origin origin = origin_;
  origin.source = fmt::format("{}: {}: {}", request_.label, entry.origin, result.explanation);
  auto confirmed = confirm_bank_credit(store_, credit, now_, origin);
  if (!confirmed) return make_error(fmt::format("{}: {}: {}", request_.label, entry.origin, confirmed.error().message));
  touched_.insert(confirmed->written.customer_id);
  record.invoice_id = result.invoice_id;
  record.payment_id = confirmed->payment.id;
  auto line = line_of(entry, confirmed->confirmed_claim ? "confirmed_claim" : "matched",
                      confirmed->confirmed_claim
                          ? fmt::format("{}; confirms the customer's claim {}", result.explanation,
                                        confirmed->payment.ext_id)
                          : result.explanation);
  line.invoice_id = result.invoice_external_id;
  line.payment_id = confirmed->payment.ext_id;
  line.customer_id = customer_ext_id(result.customer_id);
  line.matched_by = std::string(bank::to_string(result.matched_by));
  return line;
}

BankLine Importer::give_back(const bank::BankEntry& entry, const bank::EntryResult& result, Record& record) {
  const auto payment = store_.payment_to_return(reference_values(entry), entry.amount);
  if (!payment) {
    return leave_to_operator(entry, "unmatched_return",
                             fmt::format("{}; no confirmed payment has one of these references", result.explanation));
  }
  const auto customer_id = store_.return_payment(payment->id, entry.return_reason);
  touched_.insert(customer_id);
  record.invoice_id = payment->invoice_id;
  record.payment_id = payment->id;
  const auto reason = std::string(bank::describe_return_reason(entry.return_reason));
  store_.audit({0, now_, origin_.actor, "customer:" + customer_ext_id(customer_id), "payment_returned",
                json{{"payment", payment->ext_id},
                     {"invoice", payment->invoice_ext_id},
                     {"amount", format_amount(entry.amount)},
                     {"currency", entry.amount.currency.code()},
                     {"reason", entry.return_reason},
                     {"reason_text", reason},
                     {"bank_entry", entry.identity},
                     {"source", fmt::format("{}: {}", request_.label, entry.origin)},
                     {"rule", "a returned direct debit undoes its payment; the invoice is owed again"}}
                    .dump()});
  auto line = line_of(entry, "returned",
                      fmt::format("payment {} of invoice {} returned ({}{}); the invoice is owed again",
                                  payment->ext_id, payment->invoice_ext_id,
                                  entry.return_reason.empty() ? "no reason given" : entry.return_reason,
                                  reason.empty() ? "" : fmt::format(": {}", reason)));
  line.invoice_id = payment->invoice_ext_id;
  line.payment_id = payment->ext_id;
  line.customer_id = customer_ext_id(customer_id);
  return line;
}

// Money (or a return) that the operator must place by hand: kept in the unmatched list, alerted.
BankLine Importer::leave_to_operator(const bank::BankEntry& entry, std::string kind, const std::string& why) {
  store_.add_alert(now_, kind, "bank_entry:" + entry.identity,
                   fmt::format("{} {} of {} on {} ({}: {}): {}", entry.direction == bank::Direction::credit ? "credit" : "debit",
                               entry.identity, format_money(entry.amount), format_date(entry.booking_date),
                               request_.label, entry.origin, why));
  return line_of(entry, "unmatched", why);
}

const std::string& Importer::customer_ext_id(std::int64_t customer_id) {
  auto found = customer_ids_.find(customer_id);
  if (found == customer_ids_.end()) {
    const auto customer = store_.customer(customer_id);
    found = customer_ids_.emplace(customer_id, customer ? customer->ext_id : std::string()).first;
  }
  return found->second;
}

void Importer::count(const BankLine& line) {
  if (line.outcome == "matched" || line.outcome == "confirmed_claim") ++report_.matched;
  else if (line.outcome == "unmatched") ++report_.unmatched;
  else if (line.outcome == "returned") ++report_.returned;
  else if (line.outcome == "already_imported") ++report_.already_imported;
  else ++report_.ignored;
}

}  // namespace

Result<BankImportReport> import_bank_statement(store::Store& store, const policy::Policy& policy,
                                               std::string_view content, const BankImportRequest& request,
                                               Instant now) {
  auto statement = bank::read_statement(content, request.label);
  if (!statement) return statement.error();
  return Importer(store, policy, request, now).run(std::move(statement->entries), bank::to_string(statement->format));
}

Result<BankImportReport> import_bank_entries(store::Store& store, const policy::Policy& policy,
                                             std::vector<bank::BankEntry> entries, std::string_view format,
                                             const BankImportRequest& request, Instant now) {
  bank::number_repeated_identities(entries);
  return Importer(store, policy, request, now).run(std::move(entries), format);
}

}  // namespace cobrador::service
