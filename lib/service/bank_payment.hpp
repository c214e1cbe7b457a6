// Money the bank says arrived for an invoice: the one function that turns a bank credit into a
// confirmed payment, shared by statement imports and the bank webhook. If the customer claimed
// to have paid that invoice, the bank line confirms their claim instead of adding a second
// payment, so a claim and its confirmation are one row (what the claims feature relies on).
#pragma once

#include <optional>
#include <string>

#include "domain/entities.hpp"
#include "service/billing.hpp"
#include "store/bank_book.hpp"
#include "util/result.hpp"

namespace cobrador::service {

struct BankCredit {
  std::int64_t invoice_id = 0;
  std::string invoice_ext_id;
  Money amount;
  Date booked_on;
  std::string identity;   // the bank entry's identity (or PIX endToEndId): the new payment's id
  std::string reference;  // what identifies the transfer at the bank (EndToEndId, nosso número)
  std::string method;     // transfer, boleto, pix, bank
  std::string source;     // the bank source's name
};

struct ConfirmedCredit {
  Payment payment;               // as written
  bool confirmed_claim = false;  // an existing `claimed` payment was confirmed
};

// Confirms the invoice's oldest `claimed` payment with the bank's amount and date, its
// evidence naming the bank entry; else records a new `confirmed` payment with the credit's
// identity as id. Either way through put_payment (audited), and the customer's run of
// returned debits ends. The caller settles the customer afterwards, in the same transaction.
Result<ConfirmedCredit> confirm_bank_credit(store::BankBook& store, const BankCredit& credit, Instant now,
                                            const Origin& origin);

// The confirmed payment a credit becomes when no claim waits for it, and the audit row
// put_payment would write for it. Pure: a statement import builds it ahead, on its reading
// thread, for the credits likely to pay an invoice.
struct NewBankPayment {
  Payment payment;
  AuditEntry audit;
};
NewBankPayment new_bank_payment(const BankCredit& credit, const std::string& customer_ext_id, Instant now,
                                const Origin& origin);

// What a statement import does instead of confirm_bank_credit for a credit whose invoice has
// no claim (it reads the invoices with a claim once for the whole file): the new payment in one
// statement (store add_bank_payment) and its audit row, instead of put_payment's lookups. True
// with prepared.payment.id set; false, with nothing written, when a payment with its id exists
// already (confirm_bank_credit decides then). Either way the caller credits the customer
// afterwards (store credit_customers), once for all its credits.
bool add_new_bank_payment(store::BankBook& store, NewBankPayment& prepared, Instant now);

// "bank entry camt:CH03...:81:1 (source bank-itau)": what a confirmed claim's evidence says.
std::string bank_evidence(const BankCredit& credit);

}  // namespace cobrador::service
