// Cancellations asked by the customer, through the real cobradorctl on a real SQLite file,
// with the outbox drained by the real dispatcher against a loopback webhook panel and a real
// SMTP server: the dates of SPEC §5 (notice_day_of_month: 10, purge_after: 1 month), the
// deactivation after the end of service, the last-chance offer, the purge, and re-engagement.
#include <catch2/catch.hpp>

#include "lifecycle_site.hpp"
#include "support/fake_panel.hpp"
#include "support/smtp_server.hpp"

using namespace cobrador;
using namespace cobrador::testing;

namespace {

std::string cancel_policy(const std::string& service_until = "end_of_month") {
  return "timezone: America/Sao_Paulo\nrun_at: \"06:00\"\nmin_notice_days: 0\n"
         "stages:\n  - name: suspend\n    when: { days_overdue: 5 }\n    suspend: billed_services\n"
         "    notify: [email]\n    template: suspended\n"
         "backups: { allowed_in: [active], offer_before_purge_days: 7 }\n"
         "cancellation:\n  notice_day_of_month: 10\n  service_until: " +
         service_until + "\n  purge_after: 1 month\n  require_no_open_invoices: true\n";
}

// One customer with two addresses, one hosting service, and August paid.
void seed(const LifecycleSite& site) {
  site.import("customers",
              "id,name,email,phone,locale,customer_since,tags\n"
              "c1,Ana,ana@example.com;ana.work@example.com,+5511900000001,en,2024-01-10,\n",
              "2026-08-01");
  site.import("services", "id,customer_id,kind,panel,account\ns1,c1,hosting,noc,ana\n", "2026-08-01");
  site.import("invoices",
              "id,customer_id,services,amount,currency,issued_on,due_on,status\n"
              "i-aug,c1,s1,49.90,BRL,2026-08-01,2026-08-05,paid\n",
              "2026-08-01");
}

std::vector<std::string> mail_to(const SmtpSink& sink) {
  std::vector<std::string> out;
  for (const auto& mail : sink.messages()) out.push_back(mail["rcpt_tos"][0].get<std::string>());
  return out;
}

}  // namespace

// Asked on 5 August (on or before the 10th): ends 31 August, deactivated by the walk of
// 1 September, the last-chance offer on 23 September, purged on 30 September.
TEST_CASE("a cancellation asked on 5 August ends 31 August and is purged 30 September", "[lifecycle]") {
  FakePanel panel(ok);
  TempDir mail;
  SmtpSink sink(mail / "mail");
  LifecycleSite site(cancel_policy(), panel.url(), sink.url());
  seed(site);

  const auto asked = site.ok_json({"cancel", "s1", "--reason", "price", "--note", "too expensive",
                                   "--channel", "phone", "--offer", "20% off", "--offer", "a free month"},
                                  "2026-08-05");
  REQUIRE(asked.size() == 1);
  CHECK(asked[0]["service_end"] == "2026-08-31");
  CHECK(asked[0]["purge_date"] == "2026-09-30");
  CHECK(asked[0]["channel"] == "phone");
  CHECK(asked[0]["retention_offers"] == nlohmann::json({"20% off", "a free month"}));
  CHECK(site.state("s1") == ServiceState::cancelling);

  // The formal confirmation goes to the first address.
  site.ok({"dispatch", "--until-empty"}, "2026-08-05");
  REQUIRE(mail_to(sink) == std::vector<std::string>{"ana@example.com"});
  CHECK(sink.messages()[0]["body"].get<std::string>().find("s1") != std::string::npos);

  site.walk_and_dispatch("2026-08-31");  // the last day of service: still running
  CHECK(panel_calls(panel).empty());
  CHECK(site.state("s1") == ServiceState::cancelling);

  site.walk_and_dispatch("2026-09-01");
  CHECK(panel_calls(panel) == std::vector<std::string>{"service.suspend s1"});
  CHECK(site.state("s1") == ServiceState::cancelled);

  site.walk_and_dispatch("2026-09-22");
  CHECK(mail_to(sink).size() == 1);  // not yet: the offer is 7 days before the purge
  site.walk_and_dispatch("2026-09-23");
  CHECK(mail_to(sink) ==
        std::vector<std::string>{"ana@example.com", "ana@example.com", "ana.work@example.com"});

  site.walk_and_dispatch("2026-09-29");
  CHECK(panel_calls(panel).size() == 1);
  site.walk_and_dispatch("2026-09-30");
  CHECK(panel_calls(panel) == std::vector<std::string>{"service.suspend s1", "service.terminate s1"});
  CHECK(site.state("s1") == ServiceState::purged);

  const auto undo = site.ctl({"cancel", "--undo", "s1"}, "2026-10-01");
  CHECK(undo.exit_code == 1);
  CHECK(undo.err.find("purged") != std::string::npos);
  const auto listed = site.ok_json({"list", "cancellations"}, "2026-10-01");
  REQUIRE(listed.size() == 1);
  CHECK(listed[0]["state"] == "purged");
  CHECK(listed[0]["reason"] == "price");
  CHECK(listed[0]["note"] == "too expensive");
}

// Asked on 12 August (after the 10th): September is billed, the service ends 30 September
// and is purged 31 October; a second request returns the first record.
TEST_CASE("a cancellation asked on 12 August ends 30 September and is purged 31 October", "[lifecycle]") {
  FakePanel panel(ok);
  TempDir mail;
  SmtpSink sink(mail / "mail");
  LifecycleSite site(cancel_policy(), panel.url(), sink.url());
  seed(site);
  const auto asked = site.ok_json({"cancel", "s1", "--reason", "moving"}, "2026-08-12");
  CHECK(asked[0]["service_end"] == "2026-09-30");
  CHECK(asked[0]["purge_date"] == "2026-10-31");
  const auto again = site.ok_json({"cancel", "s1", "--reason", "competitor"}, "2026-08-13");
  CHECK(again[0]["id"] == asked[0]["id"]);
  CHECK(again[0]["reason"] == "moving");

  site.walk_and_dispatch("2026-09-30");
  CHECK(site.state("s1") == ServiceState::cancelling);
  site.walk_and_dispatch("2026-10-01");
  CHECK(site.state("s1") == ServiceState::cancelled);
  site.walk_and_dispatch("2026-10-30");
  CHECK(site.actions(ActionKind::purge).empty());
  site.walk_and_dispatch("2026-10-31");
  CHECK(site.state("s1") == ServiceState::purged);
}

// Re-engaged on 15 September: refused while September's invoice is open, allowed once it is
// paid; the service is unsuspended through its panel and nothing is purged afterwards.
TEST_CASE("a customer who re-engages on 15 September after paying is active and nothing is purged",
          "[lifecycle]") {
  FakePanel panel(ok);
  TempDir mail;
  SmtpSink sink(mail / "mail");
  LifecycleSite site(cancel_policy(), panel.url(), sink.url());
  seed(site);
  site.ok({"cancel", "s1", "--reason", "price"}, "2026-08-05");
  site.walk_and_dispatch("2026-09-01");
  REQUIRE(site.state("s1") == ServiceState::cancelled);
  site.import("invoices",
              "id,customer_id,services,amount,currency,issued_on,due_on,status\n"
              "i-sep,c1,s1,49.90,BRL,2026-09-01,2026-09-10,open\n",
              "2026-09-01");

  const auto unpaid = site.ctl({"cancel", "--undo", "s1"}, "2026-09-15");
  CHECK(unpaid.exit_code == 1);
  CHECK(unpaid.err.find("current_period_unpaid") != std::string::npos);
  CHECK(unpaid.err.find("i-sep") != std::string::npos);

  site.import("payments",
              "id,invoice_id,amount,currency,method,source,reference,status,received_on\n"
              "p-sep,i-sep,49.90,BRL,pix,bank,E2E1,confirmed,2026-09-15\n",
              "2026-09-15");
  const auto back = site.ok_json({"cancel", "--undo", "s1"}, "2026-09-15");
  CHECK(back["state"] == "withdrawn");
  site.ok({"dispatch", "--until-empty"}, "2026-09-15");
  CHECK(panel_calls(panel) == std::vector<std::string>{"service.suspend s1", "service.unsuspend s1"});
  CHECK(site.state("s1") == ServiceState::active);

  for (const char* day : {"2026-09-23", "2026-09-30", "2026-10-31"}) site.walk_and_dispatch(day);
  CHECK(site.actions(ActionKind::purge).empty());
  CHECK(site.state("s1") == ServiceState::active);
  CHECK(site.ok_json({"list", "cancellations"}, "2026-10-31")[0]["state"] == "withdrawn");
}

// service_until: end_of_prepaid_period, asked on 12 August with August paid (20 prepaid days
// left, the 12th to the 31st): the service ends on the last prepaid day, not on 30 September.
TEST_CASE("a cancellation with 20 prepaid days left ends on the last prepaid day", "[lifecycle]") {
  FakePanel panel(ok);
  TempDir mail;
  SmtpSink sink(mail / "mail");
  LifecycleSite site(cancel_policy("end_of_prepaid_period"), panel.url(), sink.url());
  seed(site);
  const auto asked = site.ok_json({"cancel", "s1", "--reason", "price"}, "2026-08-12");
  CHECK(asked[0]["service_end"] == "2026-08-31");
  CHECK(asked[0]["purge_date"] == "2026-09-30");
  CHECK(asked[0]["rule"].get<std::string>().find("end_of_prepaid_period") != std::string::npos);
}

// require_no_open_invoices: refused, naming each open invoice; nothing is recorded.
TEST_CASE("a cancellation with open invoices is refused with the list of them", "[lifecycle]") {
  FakePanel panel(ok);
  TempDir mail;
  SmtpSink sink(mail / "mail");
  LifecycleSite site(cancel_policy(), panel.url(), sink.url());
  seed(site);
  site.import("invoices",
              "id,customer_id,services,amount,currency,issued_on,due_on,status\n"
              "i-sep,c1,s1,49.90,BRL,2026-09-01,2026-09-10,open\n"
              "i-oct,c1,s1,59.90,BRL,2026-10-01,2026-10-10,open\n",
              "2026-08-20");
  const auto refused = site.ctl({"cancel", "s1", "--reason", "price"}, "2026-08-20");
  CHECK(refused.exit_code == 1);
  CHECK(refused.err.find("require_no_open_invoices") != std::string::npos);
  CHECK(refused.err.find("i-sep") != std::string::npos);
  CHECK(refused.err.find("i-oct") != std::string::npos);
  CHECK(site.ok_json({"list", "cancellations"}, "2026-08-20").empty());
  CHECK(site.state("s1") == ServiceState::active);
}
