// Money back to the billing systems (docs/connectors.md, issue 24 point 4): a payment the bank
// confirmed (a statement's entry matched it) for an invoice a source gave is recorded in that
// billing system, through the outbox, exactly once. A claim is never written back: it is not
// money until the bank says so. Pure.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "domain/date.hpp"
#include "domain/entities.hpp"
#include "domain/money.hpp"

namespace cobrador::policy {

// A confirmed payment a bank entry matched, of an invoice of a source, not yet written back.
struct PaymentWriteBack {
  std::int64_t payment_id = 0;
  std::string payment;  // its external id
  std::int64_t customer_id = 0;
  std::string invoice;  // the invoice's id here: "<source>:<the billing system's id>"
  Money amount;
  Date paid_on;
  std::string entry;  // the bank entry's identity
};

// A payment written back already that the bank then returned (a direct debit that came back),
// not yet reported: the billing system is told the money went out again.
struct ReturnWriteBack {
  PaymentWriteBack payment;  // the payment as written back (its entry: the credit's)
  std::string entry;         // the return's bank entry identity: the reversal's transaction id
  std::string reason;        // the bank's code, "MS03"; may be empty
  Date returned_on;          // the day the bank booked the return
};

// The stages of the write-back actions.
inline constexpr std::string_view kPaymentStage = "payment";
inline constexpr std::string_view kReturnStage = "return";

// The key `write_back_action` gives the payment's action (to tell which are queued already).
std::string write_back_key(std::int64_t customer_id, std::int64_t payment_id, std::string_view panel);

// The outbox action that records `payment` through `panel` (a whmcs or fossbilling panel of the
// billing system `source`), with `gateway` (WHMCS: the payment method's system name;
// FOSSBilling: the gateway id, or empty).
Action write_back_action(const PaymentWriteBack& payment, std::string_view source, std::string_view panel,
                         std::string_view gateway, Instant now);

// The outbox action that reports `returned` through `panel`: its key is the payment's with the
// stage `return`, so that a return is reported once; `reason_text` says the code in words.
Action return_write_back_action(const ReturnWriteBack& returned, std::string_view reason_text,
                                std::string_view source, std::string_view panel, std::string_view gateway,
                                Instant now);

}  // namespace cobrador::policy
