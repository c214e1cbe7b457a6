// The seam between the dispatcher and the control panels: one small interface, one adapter
// per kind of panel (webhook, cpanel, directadmin, plesk, exec). The dispatcher hands an
// adapter a PanelCall and gets back exactly one Outcome; it decides retries and dead letters,
// the adapter only says what the panel answered. An adapter never throws into its caller.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace cobrador::hooks {

struct PanelCall {
  enum class Kind { suspend, unsuspend, terminate, backup };

  std::string idempotency_key;  // the action's key; the same on every retry
  Kind kind = Kind::suspend;
  std::string reason;        // "non_payment" or the operator's reason
  std::string mode;          // "full" or "outgoing_only" (suspensions)
  std::string service_id;    // the service's external id
  std::string account;       // the account on the panel
  std::string service_kind;  // hosting, vps, internet, phone, other
  std::string customer_id;   // the customer's external id
};

struct Outcome {
  enum class Kind {
    done,           // the panel did it
    accepted,       // the panel took it and will call back on /v1/hooks/panel/{panel}
    retry,          // transient: timeout, 5xx, 429, connection refused
    failed,         // permanent: the panel refused and will refuse again
    disable_panel,  // 410 Gone: stop calling this panel until an operator looks
  };

  Kind kind = Kind::failed;
  std::string detail;                               // for the audit trail; never holds a secret
  std::optional<std::chrono::seconds> retry_after;  // the panel's own wish, when it said one
  std::string location;                             // where a backup was written, when known
};

// Reads the system clock, injected so that adapters (and their tests) never read it directly.
using Now = std::function<std::chrono::system_clock::time_point()>;

// Money the bank confirmed for an invoice of a billing system, to be recorded there
// (docs/connectors.md, "Money back to the billing system").
struct PaymentRecord {
  std::string idempotency_key;  // the action's key
  std::string invoice;          // the billing system's own invoice id
  std::string transaction;      // the bank entry's identity: the transaction id there
  std::string amount;           // decimal, major units: "49.90"
  std::string currency;         // ISO 4217
  std::string paid_on;          // YYYY-MM-DD, the day the bank booked it
  std::string gateway;          // WHMCS: the payment method's system name
  // Set when the payment came back (a returned direct debit) after it was recorded: the billing
  // system is told the money went out again and the invoice is owed (docs/connectors.md).
  struct Return {
    std::string transaction;  // the return's bank entry identity
    std::string date;         // YYYY-MM-DD, the day the bank booked it
    std::string reason;       // "MS03 insufficient funds"
  };
  std::optional<Return> returned;
};

class Panel {
 public:
  virtual ~Panel() = default;
  // Starts the call; `done` runs exactly once, on the io_context, never inside execute().
  virtual void execute(const PanelCall& call, std::function<void(Outcome)> done) = 0;
  // Billing systems only (whmcs, fossbilling): records a payment, as execute() runs a call.
  virtual bool takes_payments() const { return false; }
  virtual void record_payment(const PaymentRecord&, std::function<void(Outcome)> done) {
    done(Outcome{Outcome::Kind::failed, "this panel takes no payments", std::nullopt, ""});
  }
};

std::string_view to_string(PanelCall::Kind kind);
std::string_view to_string(Outcome::Kind kind);

}  // namespace cobrador::hooks
