// A warning that never went out holds the suspension (issue 18, point 3): the real walk on a
// real store (SQLite or PostgreSQL), the real dispatcher sending the reminder to a real SMTP
// server and the warning SMS to an HTTP gateway that refuses it. The reminder's delivery must
// not count as the warning's; the operator is alerted once; after the retried warning goes
// out, the suspension follows min_notice_days later.
#include <catch2/catch.hpp>

#include <atomic>

#include <nlohmann/json.hpp>

#include "integration/dispatch/outbox_fixture.hpp"
#include "support/fake_panel.hpp"
#include "support/smtp_server.hpp"

using namespace cobrador;
using namespace cobrador::testing;

// A namespace of its own: unity builds put several test files in one translation unit.
namespace undelivered_warning_cases {

namespace {

// Day 1 reminds by e-mail, day 2 warns by SMS, day 3 suspends: fair warning of one day.
const char* kPolicy = R"(timezone: America/Sao_Paulo
run_at: "06:00"
min_notice_days: 1
stages:
  - name: reminder
    when: { days_overdue: 1 }
    notify: [email]
    template: payment_reminder
  - name: warning
    when: { days_overdue: 2 }
    notify: [sms]
    template: suspension_warning
  - name: suspend
    when: { days_overdue: 3 }
    suspend: billed_services
    notify: [email]
    template: suspended
)";

// The book of outbox_fixture.hpp (Ana, s1 on panel noc, 49.90 BRL due 2 March) and the
// outbound it is dispatched through. `sms_refused` makes the gateway answer 403.
struct Desk {
  OutboxFixture t{kPolicy};
  SmtpSink sink{t.dir / "mail"};
  std::atomic<bool> sms_refused{true};
  FakePanel gateway{[this](const FakeRequest& r) {
    if (r.path == "/sms" && sms_refused) return FakeResponse{403, {}, "{\"error\":\"no credit\"}", {}};
    return FakeResponse{200, {}, "{}", {}};
  }};

  explicit Desk(const std::string& customers) {
    t.import(service::ImportKind::customers, customers);
    t.import(service::ImportKind::services, kOneService);
    t.import(service::ImportKind::invoices, kOneInvoice);
  }

  dispatch::Outbound outbound() const {
    auto out = t.webhook_outbound(gateway.url() + "/hook");
    notify::SmtpConfig smtp;
    smtp.smtp_url = sink.url();
    smtp.starttls = notify::StartTls::none;
    smtp.from = "Billing <billing@example.com>";
    smtp.timeout = std::chrono::seconds(10);
    out.email = smtp;
    out.sms = notify::SmsConfig{gateway.url() + "/sms", "POST", "Bearer sms-token",
                                R"({"to": "{{phone}}", "text": "{{text}}"})"};
    return out;
  }

  // The walk of `day` at 09:00 in São Paulo, then the dispatcher delivers what it can.
  void walk_and_dispatch(const char* day) {
    t.now = *parse_instant(std::string(day) + "T12:00:00Z");
    t.walk();
    dispatch::Dispatcher dispatcher(t.io, t.store(), outbound(), t.options());
    dispatcher.drain_until_empty();
  }

  std::vector<std::string> alerts_of(const std::string& kind) {
    std::vector<std::string> out;
    for (const auto& row :
         query(t.database, "SELECT subject, message FROM alerts WHERE kind = $1 ORDER BY id", {kind}))
      out.push_back(row[0] + " | " + row[1]);
    return out;
  }

  // The rule of the last stage_held audit row of `stage`, or "".
  std::string held_rule(const std::string& stage) {
    std::string rule;
    for (const auto& e : t.store().audit_of("customer:c1")) {
      if (e.event != "stage_held") continue;
      const auto details = nlohmann::json::parse(e.details);
      if (details.value("stage", "") == stage) rule = details["rule"];
    }
    return rule;
  }

  std::size_t suspend_actions() { return t.actions(ActionKind::suspend).size(); }

  std::vector<Action> warnings() {
    std::vector<Action> out;
    for (const auto& a : t.actions(ActionKind::notify)) {
      if (a.stage == "warning") out.push_back(a);
    }
    return out;
  }

  std::size_t audit_count(const std::string& event) {
    std::size_t n = 0;
    for (const auto& e : t.store().audit_of("customer:c1")) n += e.event == event ? 1 : 0;
    return n;
  }
};

}  // namespace

// The reminder went out, the warning SMS was refused: no suspension on day 3 or after, one
// alert; the operator retries the SMS once the gateway works, and the suspension follows a
// day after it went out.
TEST_CASE("a refused warning holds the suspension until it goes out", "[walk][fair_warning]") {
  Desk desk(kOneCustomer);
  desk.walk_and_dispatch("2026-03-03");  // day 1: the reminder, delivered by e-mail
  REQUIRE(desk.sink.messages().size() == 1);
  desk.walk_and_dispatch("2026-03-04");  // day 2: the warning SMS, refused for good
  const auto warnings = desk.warnings();
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].state == ActionState::failed);

  desk.walk_and_dispatch("2026-03-05");  // day 3: the suspension is due
  CHECK(desk.suspend_actions() == 0);
  CHECK(desk.t.service_state("s1") == ServiceState::active);
  CHECK(desk.held_rule("suspend") ==
        "min_notice_days 1: the warning (stage 'warning') never went out: its notice ended failed or dead; "
        "next "
        "look 2026-03-06");
  desk.walk_and_dispatch("2026-03-06");
  CHECK(desk.suspend_actions() == 0);
  // One alert for the episode, however many days the suspension waits.
  const auto alerts = desk.alerts_of("warning_undelivered");
  REQUIRE(alerts.size() == 1);
  CHECK(
      alerts[0] ==
      "customer:c1:episode:1 | customer c1 (Ana Conceição): stage 'suspend' is held because "
      "min_notice_days 1: the warning (stage 'warning') never went out: its notice ended failed or dead. "
      "Correct or add the contact (the next walk sends the warning to it), or retry the notice once its "
      "channel works (cobradorctl retry ACTION): the stage runs min_notice_days after the warning goes out");
  // One task in the operator's inbox, about the customer.
  CHECK(query(desk.t.database,
              "SELECT COUNT(*) FROM tasks t JOIN customers c ON c.id = t.customer_id WHERE t.kind = "
              "'warning_undelivered' AND t.subject = 'customer:c1:episode:1' AND c.ext_id = 'c1'")[0][0] ==
        "1");
  // The refused SMS itself is a task too (action_failed), once, for the action.
  CHECK(query(desk.t.database, "SELECT COUNT(*), MIN(subject) FROM tasks WHERE kind = 'action_failed'") ==
        std::vector<std::vector<std::string>>{{"1", "action:" + warnings[0].key}});
  // The phone is the same: the warning queued again each day is the action already there.
  CHECK(desk.warnings().size() == 1);
  CHECK(desk.audit_count("warning_queued_again") == 0);

  // The gateway works again; the operator retries the warning at 10:00 on 6 March.
  desk.sms_refused = false;
  desk.t.now = *parse_instant("2026-03-06T13:00:00Z");
  REQUIRE(store::in_transaction(desk.t.store(), [&] {
    return desk.t.store().retry_action(warnings[0].key, desk.t.now, "operator:test").ok();
  }));
  {
    dispatch::Dispatcher dispatcher(desk.t.io, desk.t.store(), desk.outbound(), desk.t.options());
    CHECK(dispatcher.drain_until_empty().done == 1);
  }
  CHECK(desk.t.store().action_by_key(warnings[0].key)->state == ActionState::done);
  // The retry was the work the notice's task asked for: closed as retried.
  CHECK(query(desk.t.database, "SELECT COUNT(*) FROM tasks WHERE subject = $1 AND state = 'open'",
              {"action:" + warnings[0].key})[0][0] == "0");
  CHECK(query(desk.t.database, "SELECT COUNT(*) FROM tasks WHERE subject = $1 AND outcome = 'retried'",
              {"action:" + warnings[0].key})[0][0] == "1");
  desk.walk_and_dispatch("2026-03-07");  // a day after the warning went out
  CHECK(desk.suspend_actions() == 1);
  CHECK(desk.t.service_state("s1") == ServiceState::suspended);
  CHECK(desk.alerts_of("warning_undelivered").size() == 1);
}

// Ana has no phone: the SMS warning reached nobody, so she is not suspended as if warned. The
// operator adds her phone: the next walk sends her the warning, and the suspension follows a
// day after it went out.
TEST_CASE("a customer with no contact for the warning is not suspended until warned",
          "[walk][fair_warning]") {
  Desk desk(
      "id,name,email,phone,locale,customer_since,tags\n"
      "c1,Ana Conceição,ana@example.com.br,,pt-BR,2024-01-10,\n");
  desk.sms_refused = false;
  for (const char* day : {"2026-03-03", "2026-03-04", "2026-03-05", "2026-03-06"})
    desk.walk_and_dispatch(day);
  CHECK(desk.suspend_actions() == 0);
  CHECK(desk.t.service_state("s1") == ServiceState::active);
  CHECK(desk.held_rule("suspend") ==
        "min_notice_days 1: the warning (stage 'warning') never went out: no contact on its channels (sms); "
        "next "
        "look 2026-03-07");
  CHECK(desk.alerts_of("warning_undelivered").size() == 1);
  CHECK(desk.warnings().empty());

  desk.t.now = *parse_instant("2026-03-06T17:00:00Z");
  desk.t.import(service::ImportKind::customers,
                "id,name,email,phone,locale,customer_since,tags\n"
                "c1,Ana Conceição,ana@example.com.br,+5511900000001,pt-BR,2024-01-10,\n");
  desk.walk_and_dispatch("2026-03-07");  // the warning goes to the new phone; the suspension waits
  const auto warnings = desk.warnings();
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].target == "sms:+5511900000001");
  CHECK(warnings[0].state == ActionState::done);
  CHECK(desk.audit_count("warning_queued_again") == 1);
  CHECK(desk.suspend_actions() == 0);
  desk.walk_and_dispatch("2026-03-08");
  CHECK(desk.suspend_actions() == 1);
  CHECK(desk.t.service_state("s1") == ServiceState::suspended);
  CHECK(desk.alerts_of("warning_undelivered").size() == 1);
}

}  // namespace undelivered_warning_cases
