// A small book on a real database (either store: support/test_database.hpp), walked by the real walk under a
// one-stage policy, so that the dispatcher tests deliver the actions the walk really queues: a day after the
// due date the billed service is suspended and the customer gets an e-mail (and an SMS). The clock is the
// test's: it moves only when the test says so.
#pragma once

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "dispatch/dispatcher.hpp"
#include "policy/policy.hpp"
#include "service/import.hpp"
#include "store/store.hpp"
#include "support/temp_dir.hpp"
#include "support/test_database.hpp"
#include "walk/walk.hpp"
#include "store/backends/open_store.hpp"

namespace cobrador::testing {

inline const std::string kWebhookSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

// One stage: a day overdue, suspend what the invoice bills and tell the customer.
inline std::string one_stage_policy(const std::string& notify = "[email]", const std::string& quiet = "") {
  return "timezone: America/Sao_Paulo\nrun_at: \"06:00\"\nmin_notice_days: 0\n" + quiet +
         "stages:\n  - name: suspend\n    when: { days_overdue: 1 }\n    suspend: billed_services\n"
         "    notify: " +
         notify + "\n    template: suspended\n";
}

class OutboxFixture {
 public:
  explicit OutboxFixture(const std::string& policy_text = one_stage_policy())
      : database(fresh_database(dir.path())),
        store_(store::open_store(database)),
        policy_(*policy::parse_policy(policy_text, "policy.yaml")) {}

  // customers.csv / services.csv / invoices.csv / payments.csv content.
  void import(service::ImportKind kind, const std::string& csv) {
    const auto report = service::import_text(*store_, policy_, kind, csv, "import.csv", now, "operator:test");
    INFO((report ? "" : report.error().message));
    REQUIRE(report);
  }

  void walk() { walk::walk(*store_, policy_, now); }

  dispatch::Outbound webhook_outbound(const std::string& url, int concurrency = 4) const {
    dispatch::Outbound outbound;
    dispatch::PanelSetup panel;
    panel.config.type = "webhook";
    panel.config.url = url;
    panel.config.secret = kWebhookSecret;
    panel.config.timeout = std::chrono::seconds(5);
    panel.concurrency = concurrency;
    outbound.panels["noc"] = panel;
    outbound.templates = std::string(COBRADOR_SOURCE_DIR) + "/etc/templates";
    outbound.support = {{"support_phone", "+55 11 4000-0000"},
                        {"support_email", "billing@example.com"},
                        {"support_url", "https://example.com/billing"}};
    return outbound;
  }

  dispatch::DispatcherOptions options(int max_attempts = 8) {
    dispatch::DispatcherOptions options;
    options.owner = "test-dispatcher";
    options.retry.max_attempts = max_attempts;
    options.now = [this] { return now; };
    options.seed = 42;
    options.log = [this](const std::string& line) { log += line + "\n"; };
    return options;
  }

  std::vector<Action> actions(std::optional<ActionKind> kind = std::nullopt) {
    store::ActionFilter filter;
    filter.kind = kind;
    return store_->actions(filter);
  }

  Action only(ActionKind kind) {
    const auto found = actions(kind);
    REQUIRE(found.size() == 1);
    return found.front();
  }

  ServiceState service_state(const std::string& ext_id) { return store_->service(ext_id)->state; }

  std::vector<std::string> audit_events(const std::string& customer) {
    std::vector<std::string> events;
    for (const auto& e : store_->audit_of("customer:" + customer)) events.push_back(e.event);
    return events;
  }

  // Rows of the alerts table: "kind subject".
  std::vector<std::string> alerts() {
    std::vector<std::string> out;
    for (const auto& row : query(database, "SELECT kind, subject FROM alerts ORDER BY id")) {
      out.push_back(row[0] + " " + row[1]);
    }
    return out;
  }

  store::Store& store() { return *store_; }
  const policy::Policy& policy() const { return policy_; }

  TempDir dir;
  std::string database;  // what `database:` would name: support/test_database.hpp
  std::unique_ptr<store::Store> store_;
  policy::Policy policy_;
  // 2026-03-03 09:00 in São Paulo: a day after an invoice due 2026-03-02.
  Instant now = *parse_instant("2026-03-03T12:00:00Z");
  boost::asio::io_context io;
  std::string log;
};

inline const char* kOneCustomer =
    "id,name,email,phone,locale,customer_since,tags\n"
    "c1,Ana Conceição,ana@example.com.br,+5511900000001,pt-BR,2024-01-10,\n";
inline const char* kOneService = "id,customer_id,kind,panel,account\ns1,c1,hosting,noc,ana\n";
inline const char* kOneInvoice =
    "id,customer_id,services,amount,currency,issued_on,due_on,status\n"
    "i1,c1,s1,49.90,BRL,2026-02-20,2026-03-02,open\n";

}  // namespace cobrador::testing
