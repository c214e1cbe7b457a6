// A notice that goes out later than the walk planned names no date already past (issue 18,
// point 3): the real walk queues the warning with its next_step_date, the dispatcher (with the
// options the daemon and `cobradorctl dispatch` build from the policy) sends it days later to
// a real SMTP server, and the suspension date in the mail is counted from the day it went out.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "integration/dispatch/outbox_fixture.hpp"
#include "support/has_text.hpp"
#include "support/smtp_server.hpp"

using namespace cobrador;
using namespace cobrador::testing;

// A namespace of its own: unity builds put several test files in one translation unit.
namespace late_notice_date_cases {

namespace {

// Day 1 warns, day 2 suspends; never on Friday to Sunday; a day of fair warning.
const char* kPolicy = R"(timezone: America/Sao_Paulo
run_at: "06:00"
no_suspend_on: [fri, sat, sun]
min_notice_days: 1
stages:
  - name: warning
    when: { days_overdue: 1 }
    notify: [email]
    template: suspension_warning
  - name: suspend
    when: { days_overdue: 2 }
    suspend: billed_services
    notify: [email]
    template: suspended
)";

dispatch::Outbound mail_only(const OutboxFixture& t, const SmtpSink& sink) {
  auto outbound = t.webhook_outbound("http://127.0.0.1:9/hook");
  notify::SmtpConfig smtp;
  smtp.smtp_url = sink.url();
  smtp.starttls = notify::StartTls::none;
  smtp.from = "Billing <billing@example.com>";
  smtp.timeout = std::chrono::seconds(10);
  outbound.email = smtp;
  return outbound;
}

// The warning as the dispatcher sends it at `sent_at`: its subject, and the audit's evidence.
std::pair<std::string, nlohmann::json> send_warning_at(OutboxFixture& t, const char* sent_at) {
  SmtpSink sink(t.dir / "mail");
  t.now = *parse_instant(sent_at);
  auto options = dispatch::dispatcher_options_from(config::Config{}, t.policy(), [](const std::string&) {});
  options.owner = "test-dispatcher";
  options.now = [&t] { return t.now; };
  options.seed = 42;
  dispatch::Dispatcher dispatcher(t.io, t.store(), mail_only(t, sink), options);
  CHECK(dispatcher.drain_until_empty().done == 1);
  const auto mail = sink.messages();
  REQUIRE(mail.size() == 1);
  nlohmann::json evidence;
  for (const auto& e : t.store().audit_of("customer:c1")) {
    if (e.event == "notice_sent") evidence = nlohmann::json::parse(e.details);
  }
  return {mail[0]["subject"].get<std::string>(), evidence};
}

}  // namespace

// Walked on Tuesday 3 March, the warning says "suspended on 04/03/2026"; the mail server was
// down until Thursday: sent then, it must say Monday 9 March (Friday + no_suspend_on).
TEST_CASE("a warning sent days late names the suspension day counted from its sending", "[dispatch]") {
  OutboxFixture t(kPolicy);
  t.import(service::ImportKind::customers, kOneCustomer);
  t.import(service::ImportKind::services, kOneService);
  t.import(service::ImportKind::invoices, kOneInvoice);
  t.walk();  // 3 March, 09:00 in São Paulo: day 1
  const auto queued = nlohmann::json::parse(t.only(ActionKind::notify).payload);
  REQUIRE(queued["variables"]["next_step_date"] == "2026-03-04");

  const auto [subject, evidence] = send_warning_at(t, "2026-03-05T15:00:00Z");  // Thursday, 12:00
  CHECK(subject == "Ação necessária: seus serviços serão suspensos em 09/03/2026");
  CHECK(has(evidence["text"].get<std::string>(), "os seguintes serviços serão suspensos nessa data"));
  CHECK(has(evidence["text"].get<std::string>(), "09/03/2026"));
  CHECK_FALSE(has(evidence["text"].get<std::string>(), "04/03/2026"));
  CHECK(evidence["next_step_date"] == "2026-03-09");
  CHECK(evidence["next_step_date_planned"] == "2026-03-04");
}

// Sent the day it was planned for, the warning keeps the walk's date.
TEST_CASE("a warning sent on time keeps the planned suspension day", "[dispatch]") {
  OutboxFixture t(kPolicy);
  t.import(service::ImportKind::customers, kOneCustomer);
  t.import(service::ImportKind::services, kOneService);
  t.import(service::ImportKind::invoices, kOneInvoice);
  t.walk();
  const auto [subject, evidence] = send_warning_at(t, "2026-03-03T12:01:00Z");
  CHECK(subject == "Ação necessária: seus serviços serão suspensos em 04/03/2026");
  CHECK_FALSE(evidence.contains("next_step_date_planned"));
}

}  // namespace late_notice_date_cases
