// Implements service/bank_placement.hpp.
#include "service/bank_placement.hpp"

#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "service/bank_payment.hpp"
#include "service/billing.hpp"
#include "util/dump_json.hpp"

namespace cobrador::service {

namespace {

Refusal refused(int status, std::string code, std::string message, std::string field = "") {
  return Refusal{status, std::move(code), std::move(message), std::move(field), nullptr};
}

}  // namespace

Decided<PlacedCredit> place_bank_credit(store::Store& store, const policy::Policy& policy,
                                        const std::string& entry_id, const std::string& invoice_id,
                                        Instant now, const std::string& actor) {
  const auto entry = store.bank_entry(entry_id);
  if (!entry) return refused(404, "unknown_bank_entry", fmt::format("no bank entry '{}'", entry_id), "entry");
  if (entry->outcome != "unmatched")
    return refused(
        409, "not_unmatched",
        fmt::format("bank entry {} is {} already: {}", entry->identity, entry->outcome, entry->explanation),
        "entry");
  if (entry->direction != "credit" || entry->reversal)
    return refused(409, "not_a_credit",
                   fmt::format("bank entry {} is not money in (a {}{}); only a credit pays an invoice",
                               entry->identity, entry->direction, entry->reversal ? ", returned" : ""),
                   "entry");
  const auto invoice = store.invoice(invoice_id);
  if (!invoice) return refused(404, "unknown_invoice", fmt::format("no invoice '{}'", invoice_id), "invoice");
  if (invoice->invoice.status != InvoiceStatus::open || invoice->balance.minor <= 0)
    return refused(409, "invoice_not_open",
                   fmt::format("invoice {} is {} and owes {}: nothing for this money to pay", invoice_id,
                               to_string(invoice->invoice.status), format_money(invoice->balance)),
                   "invoice");
  if (invoice->balance.currency != entry->amount.currency)
    return refused(409, "other_currency",
                   fmt::format("invoice {} is in {}; the credit is {}", invoice_id,
                               invoice->balance.currency.code(), format_money(entry->amount)),
                   "invoice");

  const Origin origin{actor, fmt::format("bank entry {} placed by hand", entry->identity)};
  BankCredit credit;
  credit.invoice_id = invoice->invoice.id;
  credit.invoice_ext_id = invoice->invoice.ext_id;
  credit.amount = entry->amount;
  credit.booked_on = entry->booking_date;
  credit.identity = entry->identity;
  credit.reference = entry->references.empty() ? entry->identity : entry->references.front();
  credit.method = "transfer";
  credit.source = entry->source;
  auto confirmed = confirm_bank_credit(store, credit, now, origin);
  if (!confirmed) return refused(409, "not_recorded", confirmed.error().message);
  const auto explanation = fmt::format("placed on invoice {} by {}", invoice->invoice.ext_id, actor);
  if (!store.place_bank_entry(entry->id, invoice->invoice.id, confirmed->payment.id, explanation))
    return refused(409, "not_unmatched", fmt::format("bank entry {} was placed meanwhile", entry->identity),
                   "entry");
  const auto subject = "bank_entry:" + entry->identity;
  if (const auto task = store.open_task_of("unmatched_payment", subject))
    store.close_task(task->id, "done", "matched_by_hand", explanation, now, actor);
  const auto& customer = invoice->invoice.customer_ext_id;
  store.audit({0, now, actor, "customer:" + customer, "bank_entry_placed",
               dump_json(nlohmann::json{
                   {"bank_entry", entry->identity},
                   {"invoice", invoice->invoice.ext_id},
                   {"payment", confirmed->payment.ext_id},
                   {"amount", format_amount(entry->amount)},
                   {"currency", entry->amount.currency.code()},
                   {"rule", "an operator placed money the bank confirmed on an open invoice"}})});
  settle(store, policy, {invoice->invoice.customer_id}, now, actor);
  return PlacedCredit{confirmed->payment, invoice->invoice.ext_id, customer, confirmed->confirmed_claim};
}

}  // namespace cobrador::service
