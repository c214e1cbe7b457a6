// Cancellation confirmed by telephone (SPEC §11, docs/tasks.md), through the real cobradorctl
// on a real database (SQLite, and PostgreSQL in the [postgresql] run), the outbox drained by the
// real dispatcher against a loopback panel and a real SMTP server. The August example: asked on
// the 8th, confirmed by a call on the 12th, the service still ends on 31 August (no September
// invoice) and is purged on 30 September with its notice and the follow-up call.
#include <catch2/catch.hpp>

#include "integration/desk/desk_site.hpp"
#include "support/fake_panel.hpp"
#include "support/smtp_server.hpp"

using namespace cobrador;
using namespace cobrador::testing;
using nlohmann::json;

namespace {

std::string phone_policy() {
  return "timezone: America/Sao_Paulo\nrun_at: \"06:00\"\nmin_notice_days: 0\n"
         "stages:\n  - name: suspend\n    when: { days_overdue: 5 }\n    suspend: billed_services\n"
         "    notify: [email]\n    template: suspended\n"
         "backups: { allowed_in: [active], offer_before_purge_days: 7 }\n"
         "cancellation:\n  notice_day_of_month: 10\n  service_until: end_of_month\n  purge_after: 1 month\n"
         "  require_no_open_invoices: true\n  confirm_by: phone\n"
         "tasks:\n  confirm_cancellation: { due_days: 0, retry_days: 2, max_attempts: 3 }\n"
         "  purge_follow_up: { due_days: 1 }\n";
}

void seed(const LifecycleSite& site) {
  site.import("customers",
              "id,name,email,phone,locale,customer_since,tags,responsible\n"
              "c1,Ana,ana@example.com,+5511900000001,en,2024-01-10,,Ana Souza;ana@example.com\n",
              "2026-08-01");
  site.import("services", "id,customer_id,kind,panel,account\ns1,c1,hosting,noc,ana\n", "2026-08-01");
  site.import("invoices",
              "id,customer_id,services,amount,currency,issued_on,due_on,status\n"
              "i-aug,c1,s1,49.90,BRL,2026-08-01,2026-08-05,paid\n",
              "2026-08-01");
}

}  // namespace

TEST_CASE(
    "asked on 8 August, confirmed by a call on the 12th: ends 31 August, purged 30 September with its call",
    "[desk]") {
  FakePanel panel(ok);
  TempDir mail;
  SmtpSink sink(mail / "mail");
  LifecycleSite site(phone_policy(), panel.url(), sink.url());
  seed(site);

  const auto asked = site.ok_json({"cancel", "s1", "--reason", "price", "--channel", "email", "--contact",
                                   "ana@example.com", "--note", "e-mail of 8 August"},
                                  "2026-08-08");
  CHECK(asked["state"] == "awaiting_confirmation");
  CHECK(asked["contact"] == "ana@example.com");
  CHECK(site.state("s1") == ServiceState::active);  // nothing happens before the call
  const auto listed = site.ok_json({"list", "cancellations"}, "2026-08-08");
  REQUIRE(listed.size() == 1);
  CHECK(listed[0]["state"] == "awaiting_confirmation");
  auto calls = tasks_of(site, "confirm_cancellation", "2026-08-08");
  REQUIRE(calls.size() == 1);
  CHECK(calls[0]["state"] == "open");
  CHECK(calls[0]["due_on"] == "2026-08-08");
  CHECK(calls[0]["customer"] == "c1");

  // Asked again (a second e-mail): the first request stands, and one call is enough.
  const auto again =
      site.ok_json({"cancel", "s1", "--reason", "moving", "--contact", "Ana Souza"}, "2026-08-09");
  CHECK(again["id"] == asked["id"]);
  CHECK(tasks_of(site, "confirm_cancellation", "2026-08-09").size() == 1);

  const auto id = std::to_string(calls[0]["id"].get<std::int64_t>());
  const auto confirmed = site.ok_json({"task", "done", id, "--outcome", "confirmed", "--reason", "price",
                                       "--offer", "20% off for 3 months", "--note", "declined the offer"},
                                      "2026-08-12");
  CHECK(confirmed["state"] == "done");
  CHECK(confirmed["outcome"] == "confirmed");
  REQUIRE(confirmed["cancellation"]["state"] == "cancelled");
  const auto& record = confirmed["cancellation"]["records"][0];
  CHECK(record["service_end"] == "2026-08-31");  // the day of the request decides, not the call
  CHECK(record["purge_date"] == "2026-09-30");
  CHECK(record["requested_at"].get<std::string>().rfind("2026-08-08", 0) == 0);
  CHECK(record["retention_offers"] == json({"20% off for 3 months"}));
  CHECK(site.state("s1") == ServiceState::cancelling);

  // The task is closed: a second outcome is refused.
  const auto twice =
      site.ctl({"task", "done", id, "--outcome", "confirmed", "--reason", "price"}, "2026-08-12");
  CHECK(twice.exit_code == 1);
  CHECK(twice.err.find("task_closed") != std::string::npos);

  site.ok({"dispatch", "--until-empty"}, "2026-08-12");
  CHECK(sink.messages().size() == 1);  // the confirmation of the cancellation
  site.walk_and_dispatch("2026-09-01");
  CHECK(site.state("s1") == ServiceState::cancelled);
  CHECK(tasks_of(site, "purge_follow_up", "2026-09-22").empty());
  site.walk_and_dispatch("2026-09-23");  // the last-chance notice, and the call after it
  CHECK(sink.messages().size() == 2);
  auto follow_up = tasks_of(site, "purge_follow_up", "2026-09-23");
  REQUIRE(follow_up.size() == 1);
  CHECK(follow_up[0]["due_on"] == "2026-09-24");
  CHECK(follow_up[0]["subject"] == "service:s1");
  site.walk_and_dispatch("2026-09-24");  // walked again: still the one call
  CHECK(tasks_of(site, "purge_follow_up", "2026-09-24").size() == 1);
  site.walk_and_dispatch("2026-09-30");
  CHECK(site.state("s1") == ServiceState::purged);
  CHECK(panel_calls(panel) == std::vector<std::string>{"service.suspend s1", "service.terminate s1"});

  const auto events = audit_events(site, "c1", "2026-09-30");
  CHECK(has_event(events, "cancellation_awaiting_confirmation"));
  CHECK(has_event(events, "cancellation_confirmed"));
}

TEST_CASE("three unanswered confirming calls: the request lapses and nothing is cancelled", "[desk]") {
  FakePanel panel(ok);
  TempDir mail;
  SmtpSink sink(mail / "mail");
  LifecycleSite site(phone_policy(), panel.url(), sink.url());
  seed(site);
  site.ok({"cancel", "s1", "--reason", "price", "--contact", "Ana Souza"}, "2026-08-08");
  const auto id =
      std::to_string(tasks_of(site, "confirm_cancellation", "2026-08-08")[0]["id"].get<std::int64_t>());

  auto first =
      site.ok_json({"task", "done", id, "--outcome", "not_reached", "--note", "voicemail"}, "2026-08-08");
  CHECK(first["state"] == "open");
  CHECK(first["attempts"] == 1);
  CHECK(first["due_on"] == "2026-08-10");
  CHECK(first["cancellation"]["next_attempt_on"] == "2026-08-10");
  auto second = site.ok_json({"task", "done", id, "--outcome", "not_reached"}, "2026-08-10");
  CHECK(second["state"] == "open");
  CHECK(second["due_on"] == "2026-08-12");
  auto third = site.ok_json({"task", "done", id, "--outcome", "not_reached"}, "2026-08-12");
  CHECK(third["state"] == "done");
  CHECK(third["cancellation"]["state"] == "lapsed");

  // Never silently executed: no cancellation, the service runs, and a person hears of it.
  CHECK(site.ok_json({"list", "cancellations"}, "2026-08-12").empty());
  auto unanswered = tasks_of(site, "cancellation_unanswered", "2026-08-12", "open");
  REQUIRE(unanswered.size() == 1);
  CHECK(unanswered[0]["details"]["attempts"] == 3);
  site.walk_and_dispatch("2026-09-01");
  CHECK(site.state("s1") == ServiceState::active);
  CHECK(panel_calls(panel).empty());
  CHECK(has_event(audit_events(site, "c1", "2026-09-01"), "cancellation_lapsed"));

  // The customer may ask again later: a new request, a new call.
  site.ok({"cancel", "s1", "--reason", "price", "--contact", "Ana Souza"}, "2026-09-02");
  CHECK(tasks_of(site, "confirm_cancellation", "2026-09-02", "open").size() == 1);
}

TEST_CASE("a call that hears the customer withdraw closes the request and the service stays", "[desk]") {
  FakePanel panel(ok);
  TempDir mail;
  SmtpSink sink(mail / "mail");
  LifecycleSite site(phone_policy(), panel.url(), sink.url());
  seed(site);
  site.ok({"cancel", "s1", "--reason", "price", "--contact", "Ana Souza"}, "2026-08-08");
  const auto id =
      std::to_string(tasks_of(site, "confirm_cancellation", "2026-08-08")[0]["id"].get<std::int64_t>());
  const auto withdrawn = site.ok_json(
      {"task", "done", id, "--outcome", "withdrawn", "--offer", "a free month", "--note", "took the offer"},
      "2026-08-09");
  CHECK(withdrawn["cancellation"]["state"] == "withdrawn");
  CHECK(site.ok_json({"list", "cancellations"}, "2026-08-09").empty());
  CHECK(site.state("s1") == ServiceState::active);
  // Dismissing the call instead of recording it is refused while a request waits on it.
  site.ok({"cancel", "s1", "--reason", "price", "--contact", "Ana Souza"}, "2026-08-10");
  const auto next = std::to_string(
      tasks_of(site, "confirm_cancellation", "2026-08-10", "open")[0]["id"].get<std::int64_t>());
  const auto dismissed = site.ctl({"task", "dismiss", next, "--outcome", "not_needed"}, "2026-08-10");
  CHECK(dismissed.exit_code == 1);
  CHECK(dismissed.err.find("record_the_call") != std::string::npos);
}

TEST_CASE("a request from someone who is not the responsible person is refused unless an operator forces it",
          "[desk]") {
  FakePanel panel(ok);
  TempDir mail;
  SmtpSink sink(mail / "mail");
  LifecycleSite site(phone_policy(), panel.url(), sink.url());
  seed(site);
  const auto refused =
      site.ctl({"cancel", "s1", "--reason", "price", "--contact", "Bruno (the nephew)"}, "2026-08-08");
  CHECK(refused.exit_code == 1);
  CHECK(refused.err.find("not the responsible person of customer c1") != std::string::npos);
  CHECK(refused.err.find("not_responsible") != std::string::npos);
  const auto nameless = site.ctl({"cancel", "s1", "--reason", "price"}, "2026-08-08");
  CHECK(nameless.exit_code == 1);
  CHECK(nameless.err.find("not_responsible") != std::string::npos);
  CHECK(tasks_of(site, "confirm_cancellation", "2026-08-08").empty());

  const auto no_note =
      site.ctl({"cancel", "s1", "--reason", "price", "--contact", "Bruno", "--force"}, "2026-08-08");
  CHECK(no_note.exit_code == 1);
  CHECK(no_note.err.find("needs a note") != std::string::npos);
  // The refusal never tells a stranger who the responsible persons are.
  CHECK(refused.err.find("Ana Souza") == std::string::npos);

  // The responsible person matches however it is written.
  const auto by_ana =
      site.ok_json({"cancel", "s1", "--reason", "price", "--contact", "  ANA SOUZA "}, "2026-08-08");
  CHECK(by_ana["state"] == "awaiting_confirmation");

  site.import("services", "id,customer_id,kind,panel,account\ns2,c1,vps,noc,ana-vps\n", "2026-08-08");
  const auto forced = site.ok_json({"cancel", "s2", "--reason", "price", "--contact", "Bruno", "--force",
                                    "--force-note", "power of attorney on file"},
                                   "2026-08-08");
  CHECK(forced["state"] == "awaiting_confirmation");
  CHECK(forced["service"] == "s2");
  CHECK(has_event(audit_events(site, "c1", "2026-08-08"), "responsible_overridden"));

  // Withdrawn before the call (cancel --undo): the request and its call are closed.
  const auto undone = site.ok_json({"cancel", "--undo", "s2"}, "2026-08-09");
  CHECK(undone["state"] == "withdrawn");
  CHECK(tasks_of(site, "confirm_cancellation", "2026-08-09", "open").size() == 1);  // s1's only
}
