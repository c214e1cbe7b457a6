// Implements the split of a camt entry into transactions.
//
// A single-transaction entry keeps the entry's own Amt: that is what was booked on the
// account. Its TxDtls amount is only checked when it is in the same currency, because
// banks fill it loosely (genkgo's camt.053.001.08 sample carries <Amt Ccy="SEK">0</Amt>
// under an 8.85 EUR entry). A batch needs each transaction's amount in the entry's currency,
// and they must add up to the entry amount: a batch that does not add up is refused rather
// than guessed at, since these amounts decide whether a customer's service comes back.
#include "bank/camt_entry.hpp"

#include <fmt/format.h>

#include "bank/camt_fields.hpp"
#include "bank/camt_xml.hpp"
#include "bank/entry_identity.hpp"
#include "bank/references.hpp"
#include "bank/text.hpp"

namespace cobrador::bank::camt {

namespace {

Result<BankEntry> read_common(const Place& place, Format format) {
  const auto& ntry = place.ntry;
  const auto amt = child(ntry, "Amt");
  if (!amt) return make_error(fmt::format("{}: the entry amount is missing", place.missing(ntry, "Amt")));
  auto amount = read_amount(place, amt);
  if (!amount) return amount.error();
  const auto indicator = child(ntry, "CdtDbtInd");
  if (!indicator)
    return make_error(fmt::format("{}: credit or debit is not said", place.missing(ntry, "CdtDbtInd")));
  auto direction = read_direction(place, indicator);
  if (!direction) return direction.error();
  const auto reversal_node = child(ntry, "RvslInd");
  auto reversal = reversal_node ? read_indicator(place, reversal_node) : Result<bool>(false);
  if (!reversal) return reversal.error();
  auto status = read_status(place);
  if (!status) return status.error();
  auto date = read_booking_date(place);
  if (!date) return date.error();
  BankEntry entry;
  entry.format = format;
  entry.booking_date = *date;
  entry.amount = *amount;
  entry.direction = *direction;
  entry.booked = *status == "BOOK";
  entry.status_code = std::move(*status);
  entry.reversal = *reversal;
  entry.origin = std::string(place.ntry_path);
  return entry;
}

std::vector<pugi::xml_node> transactions_of(const pugi::xml_node& ntry) {
  std::vector<pugi::xml_node> found;
  for (const auto& details : children(ntry, "NtryDtls")) {
    const auto txs = children(details, "TxDtls");
    found.insert(found.end(), txs.begin(), txs.end());
  }
  return found;
}

// TxDtls/Amt (001.03 onwards), else AmtDtls/TxAmt/Amt, whichever is in the entry's currency.
pugi::xml_node amount_node_in(const pugi::xml_node& tx, const Currency& currency) {
  for (const std::string_view path : {"Amt", "AmtDtls/TxAmt/Amt"}) {
    const auto node = child(tx, path);
    if (node && std::string_view(node.attribute("Ccy").value()) == currency.code()) return node;
  }
  return {};
}

void add_transaction_details(const pugi::xml_node& tx, const Place& place, BankEntry& entry) {
  const auto end_to_end = text(child(tx, "Refs/EndToEndId"));
  // NOTPROVIDED is the scheme's placeholder; as a reference it would tie unrelated entries.
  if (!equals_ignore_case(end_to_end, "NOTPROVIDED")) {
    add_reference(entry.references, ReferenceKind::end_to_end_id, end_to_end);
  }
  for (const auto& remittance : children(tx, "RmtInf")) {
    for (const auto& structured : children(remittance, "Strd")) {
      for (const auto& creditor_ref : children(structured, "CdtrRefInf")) {
        add_reference(entry.references, ReferenceKind::creditor_reference, text(child(creditor_ref, "Ref")));
      }
    }
    for (const auto& unstructured : children(remittance, "Ustrd"))
      add_remittance_words(entry.references, text(unstructured));
  }
  const auto reason = child(tx, "RtrInf/Rsn");
  const auto code = text(child(reason, "Cd"));
  entry.return_reason = std::string(code.empty() ? text(child(reason, "Prtry")) : code);
  entry.origin = place.path(tx);
}

Status check_single_amount(const Place& place, const pugi::xml_node& tx, const Money& booked) {
  const auto node = amount_node_in(tx, booked.currency);
  if (!node) return Ok{};
  auto amount = read_amount(place, node);
  if (!amount) return amount.error();
  if (amount->minor == booked.minor) return Ok{};
  return make_error(fmt::format("{}: the transaction amount {} disagrees with the entry amount {}",
                                place.path(node), format_money(*amount), format_money(booked)));
}

Result<BankEntry> batch_part(const Place& place, const pugi::xml_node& tx, const BankEntry& common) {
  const auto node = amount_node_in(tx, common.amount.currency);
  if (!node) {
    return make_error(
        fmt::format("{}: a transaction of a batched entry needs its amount in {} (Amt or AmtDtls/TxAmt/Amt)",
                    place.path(tx), common.amount.currency.code()));
  }
  auto amount = read_amount(place, node);
  if (!amount) return amount.error();
  const auto indicator = child(tx, "CdtDbtInd");
  auto direction = indicator ? read_direction(place, indicator) : Result<Direction>(common.direction);
  if (!direction) return direction.error();
  BankEntry part = common;
  part.amount = *amount;
  part.direction = *direction;
  return part;
}

// The transactions, signed against the entry's direction, must add up to the entry amount.
Status check_batch_total(const Place& place, const BankEntry& common, const std::vector<BankEntry>& parts) {
  std::int64_t total = 0;
  for (const auto& part : parts) {
    const std::int64_t signed_minor =
        part.direction == common.direction ? part.amount.minor : -part.amount.minor;
    if (__builtin_add_overflow(total, signed_minor, &total)) {
      return make_error(
          fmt::format("{}: the transactions add up to more than can be represented", place.ntry_path));
    }
  }
  if (total == common.amount.minor) return Ok{};
  return make_error(fmt::format("{}: the entry amount {} is not the sum of its {} transactions ({})",
                                place.missing(place.ntry, "Amt"), format_money(common.amount), parts.size(),
                                format_money(Money{total, common.amount.currency})));
}

Result<std::vector<BankEntry>> split_transactions(const Place& place, BankEntry common) {
  const auto txs = transactions_of(place.ntry);
  std::vector<BankEntry> parts;
  if (txs.empty()) {
    parts.push_back(std::move(common));
    return parts;
  }
  if (txs.size() == 1) {
    if (auto checked = check_single_amount(place, txs.front(), common.amount); !checked)
      return checked.error();
    add_transaction_details(txs.front(), place, common);
    parts.push_back(std::move(common));
    return parts;
  }
  for (const auto& tx : txs) {
    auto part = batch_part(place, tx, common);
    if (!part) return part.error();
    add_transaction_details(tx, place, *part);
    parts.push_back(std::move(*part));
  }
  if (auto checked = check_batch_total(place, common, parts); !checked) return checked.error();
  return parts;
}

// AcctSvcrRef is the bank's unique reference for the entry; NtryRef is not used because banks
// repeat it (viafintech's camt.054 sample gives four entries the same NtryRef).
std::string identity_of(const BankEntry& entry, const std::string& account, std::string_view servicer_ref,
                        std::size_t number) {
  if (servicer_ref.empty()) return fmt::format("camt:{}:{}", account, content_fingerprint(entry));
  return fmt::format("camt:{}:{}:{}", account, servicer_ref, number);
}

}  // namespace

Status read_entry(const pugi::xml_node& ntry, const std::string& ntry_path, Format format,
                  const std::string& account, std::vector<BankEntry>& out) {
  const Place place{ntry, ntry_path};
  auto common = read_common(place, format);
  if (!common) return common.error();
  auto parts = split_transactions(place, std::move(*common));
  if (!parts) return parts.error();
  const auto servicer_ref = text(child(ntry, "AcctSvcrRef"));
  for (std::size_t i = 0; i < parts->size(); ++i) {
    auto& part = (*parts)[i];
    part.identity = identity_of(part, account, servicer_ref, i + 1);
    out.push_back(std::move(part));
  }
  return Ok{};
}

}  // namespace cobrador::bank::camt
