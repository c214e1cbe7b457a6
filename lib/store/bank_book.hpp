// The bank book face: statements imported, their entries recorded, and the payments they
// confirm or return (lib/service/bank_import, bank_payment; `cobradorctl bank`). A payment
// the bank confirms is written to the book as the billing system's are (service::put_payment),
// so this face includes the billing one.
// Every method runs inside the caller's write transaction (service/bank_import.cpp).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "bank/reconcile.hpp"
#include "domain/entities.hpp"
#include "policy/write_back.hpp"
#include "store/billing_store.hpp"
#include "store/records.hpp"

namespace cobrador::store {

class BankBook : public virtual BillingStore {
 public:
  // Open invoices whose balance (amount - confirmed payments) is above zero, over the whole
  // book: what a bank credit may pay.
  virtual std::vector<bank::OpenInvoice> open_invoices_to_match() = 0;
  // Writes the import's row (id ignored) and returns its id; set_bank_import_counts fills in
  // the counts once the entries are recorded.
  virtual std::int64_t add_bank_import(const BankImport& import) = 0;
  virtual void set_bank_import_counts(const BankImport& import) = 0;
  // True when an entry with this identity was recorded by any earlier import.
  virtual bool bank_entry_recorded(std::string_view identity) = 0;
  // Records an entry and returns its id, or nullopt when its identity is recorded already: a
  // UNIQUE constraint, so two importers at once cannot both record it. The entry's id when it
  // is not 0 (an import numbers its rows in file order: last_bank_entry_id() + position),
  // else the next one.
  virtual std::optional<std::int64_t> record_bank_entry(const BankEntryRecord& entry) = 0;
  // The largest id of a recorded entry, 0 for none.
  virtual std::int64_t last_bank_entry_id() = 0;
  // Unmatched entries, oldest first, with their import's source and label.
  virtual std::vector<BankEntryRecord> unmatched_bank_entries() = 0;
  // The entry with that identity, whatever its outcome.
  virtual std::optional<BankEntryRecord> bank_entry(std::string_view identity) = 0;
  // An unmatched entry an operator placed: matched to the invoice and the payment it became,
  // with why; false when it is no longer unmatched.
  virtual bool place_bank_entry(std::int64_t entry_id, std::int64_t invoice_id, std::int64_t payment_id,
                                std::string_view explanation) = 0;
  // The oldest `claimed` payment of an invoice: a customer said they paid it.
  virtual std::optional<Payment> claimed_payment_of(std::int64_t invoice_id) = 0;
  // The confirmed payment a returned direct debit undoes: the newest one whose reference or
  // id equals one of `references` (ASCII case ignored), else the newest of an invoice whose
  // id is one of them with exactly `amount`.
  virtual std::optional<Payment> payment_to_return(const std::vector<std::string>& references,
                                                   const Money& amount) = 0;
  // return_payment() and recount_returned_debits() are on the billing face: a return or a
  // confirmation the billing system reports counts as the bank's does (service::put_payment).
  // Invoices with a `claimed` payment (see claimed_payment_of), read once per import instead
  // of once per credit: a statement of 100,000 credits usually confirms a handful of claims.
  virtual std::vector<std::int64_t> invoices_with_claims() = 0;
  // A new confirmed payment for an invoice (a bank credit matched to it), written as
  // upsert_payment writes it: its id. Nothing is written, and nullopt returned, when a payment
  // with the same ext_id exists (put_payment decides then). Its customer is left to
  // credit_customers.
  virtual std::optional<std::int64_t> add_bank_payment(const Payment& payment, Instant now) = 0;
  // Customers a bank import recorded payments for: touched for the next walk, their run of
  // returned debits counted again (recount_returned_debits). Given in id order, once for many payments, the
  // customers are visited in one pass instead of once per payment, all over the book.
  virtual void credit_customers(std::span<const std::int64_t> customer_ids) = 0;
  // Customers whose dunning a payment can change at once (walk::reconsider): an open episode,
  // an open promise, a suspended service. A bank import settles only those; the others are
  // marked for the next walk by the payment (touch) and nothing else would change for them.
  virtual std::vector<std::int64_t> customers_in_dunning() = 0;
  // The ids of the open invoices whose id starts with `invoice_prefix` (a source's), in id order.
  virtual std::vector<std::string> open_invoice_ids(std::string_view invoice_prefix) = 0;
  // The confirmed payments a bank entry matched, of invoices whose id starts with
  // `invoice_prefix` ("whmcs:"), that have no write-back action through `panel` yet
  // (policy/write_back.hpp), in payment order.
  virtual std::vector<policy::PaymentWriteBack> payments_to_write_back(std::string_view invoice_prefix,
                                                                       std::string_view panel) = 0;
  // The same invoices' payments returned by the bank after their write-back through `panel` was
  // done, whose return has no action yet, in the order the returns were recorded.
  virtual std::vector<policy::ReturnWriteBack> returns_to_write_back(std::string_view invoice_prefix,
                                                                     std::string_view panel) = 0;
  // The ids of those invoices whose return `panel` has not recorded yet (queued or not): the
  // billing system still calls them paid, and the bank's word stands until it has heard.
  virtual std::vector<std::string> invoices_returned_unheard(std::string_view invoice_prefix,
                                                             std::string_view panel) = 0;
};

}  // namespace cobrador::store
