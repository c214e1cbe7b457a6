// One cobrador installation for the SPEC §10 tests: a real database (a SQLite file, or a
// PostgreSQL database when the run tests that store), the real cobradorctl
// binary with its clock pinned per command (COBRADOR_NOW), the HTTP API served in-process on
// 127.0.0.1 over the same file, every panel type (webhook, cpanel, directadmin, plesk on one
// loopback fake panel; exec through hooks/examples/log-call) and a real SMTP server (aiosmtpd).
// What the panels and the SMTP server received is read back as calls and mails with their
// dates, and each mail is tied to its outbox action through its Message-ID.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "domain/date.hpp"
#include "store/store.hpp"
#include "support/fake_panel.hpp"
#include "support/process.hpp"
#include "support/smtp_server.hpp"
#include "support/temp_dir.hpp"

namespace cobrador::http {
class Server;
}

namespace cobrador::testing {

inline const std::string kBillingBearer = "billing-token-0123456789abcdef";
inline const std::string kOperatorBearer = "operator-token-0123456789abcdef";
inline const std::string kReadBearer = "read-token-0123456789abcdef";  // [read]
inline const std::string kBankPixSecret = "whsec_bmV3LWJhbmstc2VjcmV0LWJ5dGVzLTAxMjM0NTY3";

// reminder on day 3, warning on day 4, suspension on day 5 but never on a weekend, e-mail only.
inline const std::string kLadderPolicy = R"(timezone: America/Sao_Paulo
run_at: "06:00"
no_suspend_on: [sat, sun]
min_notice_days: 1
stages:
  - name: reminder
    when: { days_overdue: 3 }
    notify: [email]
    template: payment_reminder
  - name: warning
    when: { days_overdue: 4 }
    notify: [email]
    template: suspension_warning
  - name: suspend
    when: { days_overdue: 5 }
    suspend: billed_services
    notify: [email]
    template: suspended
)";

// A panel call as the panel saw it.
struct PanelCall {
  std::string panel_type;  // webhook, cpanel, directadmin, plesk, exec
  std::string type;        // service.suspend / service.unsuspend (webhook, exec), or the path
  std::string service;     // webhook and exec: the service's id
  std::string reason;      // webhook: the payload's reason
  std::string key;         // webhook: webhook-id = the idempotency key
  std::string date;        // webhook: the day (UTC) of webhook-timestamp
};

// A mail as the SMTP server received it, and the outbox action it came from.
struct Mail {
  std::string to;
  std::string date;  // YYYY-MM-DD (UTC) of its Date header
  std::string key;   // the action's idempotency key
  std::string stage;
};

// 06:00 in São Paulo (UTC-3, no daylight saving since 2019) on `day` + hh:mm offset.
Instant sao_paulo(const std::string& day, int hour = 6, int minute = 0);

class Site {
 public:
  explicit Site(const std::string& policy = kLadderPolicy);
  ~Site();
  Site(const Site&) = delete;
  Site& operator=(const Site&) = delete;

  // cobradorctl -c <config> args..., its clock pinned at `now`.
  ProcessResult ctl(std::vector<std::string> args, Instant now) const;
  // The same, required to succeed.
  nlohmann::json ctl_json(std::vector<std::string> args, Instant now) const;
  // `walk --date day` at the policy's run_at (06:00 there), the clock pinned to that moment.
  nlohmann::json walk(const std::string& day) const;
  // `dispatch --until-empty` at `now`.
  nlohmann::json dispatch(Instant now) const;
  // `import KIND FILE` of CSV `text` at `now`.
  void import(const std::string& kind, const std::string& text, Instant now) const;

  // The HTTP API over the same database, its clock pinned at `now`.
  struct Reply {
    int status = 0;
    nlohmann::json body;
  };
  Reply call(const std::string& method, const std::string& path, const nlohmann::json& body,
             const std::string& token, Instant now);
  // The address of `path` on that server, its clock pinned at `now`, for requests the test
  // makes itself (the console's pages, with their cookies).
  std::string url(const std::string& path, Instant now);
  // POST `path` signed by the bank-pix source (confirms_payments: true).
  Reply signed_call(const std::string& path, const nlohmann::json& body, const std::string& webhook_id,
                    Instant now);

  // The test's own connection to the database.
  store::Store& db();
  // The database as cobrador.yaml names it (support/test_database.hpp), for testing::query.
  const std::string& database() const { return database_; }
  std::string config_path() const { return config_; }
  // Points the e-mail channel elsewhere (a server that never answers), or back with "".
  void set_smtp_url(const std::string& url);

  std::vector<PanelCall> panel_calls() const;
  std::vector<Mail> mails();
  // Audit rows of customer:<id>, in order.
  std::vector<AuditEntry> audit(const std::string& customer);
  // The details of the customer's audit rows that are `event`, in order, with _actor, _at, _id.
  std::vector<nlohmann::json> audit_details(const std::string& customer, const std::string& event);
  ServiceState service_state(const std::string& service);
  std::string suspend_reason(const std::string& service);
  std::optional<Action> action(const std::string& key);

  TempDir dir;

 private:
  void start_api();

  FakePanel panel_;
  TempDir mail_dir_;
  SmtpSink sink_;
  std::string database_;
  std::string config_;
  std::string exec_hook_;  // the exec panel's program: log-call, logging into var/exec-calls.log
  std::unique_ptr<store::Store> db_;
  struct Api;
  std::unique_ptr<Api> api_;
};

// One line per row, the header added: customers "id,name,email,phone,locale,customer_since,tags,
// exempt_until", services "id,customer_id,kind,panel,account", invoices "id,customer_id,services,
// amount,currency,issued_on,due_on,status", payments "id,invoice_id,amount,currency,method,source,
// reference,status,received_on".
std::string customers_csv(const std::vector<std::string>& rows);
std::string services_csv(const std::vector<std::string>& rows);
std::string invoices_csv(const std::vector<std::string>& rows);
std::string payments_csv(const std::vector<std::string>& rows);

}  // namespace cobrador::testing
