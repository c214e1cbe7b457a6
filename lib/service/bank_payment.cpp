// Implements the confirmation of a bank credit: claim first, new payment otherwise.
#include "service/bank_payment.hpp"

#include <fmt/format.h>

namespace cobrador::service {

namespace {

// The confirmed payment a credit becomes when no claim waited for it.
Payment new_payment(const BankCredit& credit) {
  return Payment{0,
                 credit.identity,
                 credit.invoice_id,
                 credit.invoice_ext_id,
                 credit.amount,
                 credit.method,
                 credit.source,
                 credit.reference,
                 "",
                 PaymentStatus::confirmed,
                 credit.booked_on,
                 ""};
}

}  // namespace

std::string bank_evidence(const BankCredit& credit) {
  return fmt::format("bank entry {} (source {})", credit.identity, credit.source);
}

Result<ConfirmedCredit> confirm_bank_credit(store::BankBook& store, const BankCredit& credit, Instant now,
                                            const Origin& origin) {
  ConfirmedCredit confirmed;
  if (auto claim = store.claimed_payment_of(credit.invoice_id)) {
    // The claim keeps its id, method and the reference the customer gave; what the bank
    // says (amount, day, the entry itself) replaces what the customer said.
    confirmed.payment = std::move(*claim);
    confirmed.payment.amount = credit.amount;
    confirmed.payment.received_on = credit.booked_on;
    confirmed.payment.evidence = bank_evidence(credit);
    confirmed.payment.source = credit.source;
    confirmed.confirmed_claim = true;
  } else {
    confirmed.payment = new_payment(credit);
  }
  confirmed.payment.status = PaymentStatus::confirmed;
  auto written = put_payment(store, confirmed.payment, now, origin);
  if (!written) return written.error();
  confirmed.payment.id = written->id;
  store.recount_returned_debits(written->customer_id);
  return confirmed;
}

NewBankPayment new_bank_payment(const BankCredit& credit, const std::string& customer_ext_id, Instant now,
                                const Origin& origin) {
  auto payment = new_payment(credit);
  auto audit = new_payment_audit(payment, customer_ext_id, now, origin);
  return {std::move(payment), std::move(audit)};
}

bool add_new_bank_payment(store::BankBook& store, NewBankPayment& prepared, Instant now) {
  const auto id = store.add_bank_payment(prepared.payment, now);
  if (!id) return false;
  prepared.payment.id = *id;
  store.audit(prepared.audit);
  return true;
}

}  // namespace cobrador::service
