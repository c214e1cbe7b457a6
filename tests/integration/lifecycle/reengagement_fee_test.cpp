// Re-engagement after the end of service needs the new month paid, even when the billing system
// has not issued that month's invoice (issue 18, point 7; SPEC §4 "re-engages and pays before
// purge"). Through the real cobradorctl on a real database (SQLite, or PostgreSQL in the
// [lifecycle] registration) with the real walk and dispatcher.
#include <catch2/catch.hpp>

#include "lifecycle_site.hpp"
#include "support/has_text.hpp"
#include "support/fake_panel.hpp"
#include "support/smtp_server.hpp"

using namespace cobrador;
using namespace cobrador::testing;

// A named namespace, not an anonymous one: the tests build in unity batches.
namespace reengagement_fee_test {

const char* kCancelPolicy =
    "timezone: America/Sao_Paulo\nrun_at: \"06:00\"\nmin_notice_days: 0\n"
    "stages:\n  - name: suspend\n    when: { days_overdue: 5 }\n    suspend: billed_services\n"
    "    notify: [email]\n    template: suspended\n"
    "backups: { allowed_in: [active], offer_before_purge_days: 7 }\n"
    "cancellation:\n  notice_day_of_month: 10\n  service_until: end_of_month\n  purge_after: 1 month\n"
    "  require_no_open_invoices: true\n";

// Cancelled on 5 August with August paid; ended 31 August and deactivated on 1 September. On
// 15 September no September invoice exists: coming back without paying the month is refused,
// first because the month's price is unknown, then naming it; paid, the service is back.
TEST_CASE("re-engaging a cancelled service after its end needs the month's fee paid", "[lifecycle]") {
  FakePanel panel(ok);
  TempDir mail;
  SmtpSink sink(mail / "mail");
  LifecycleSite site(kCancelPolicy, panel.url(), sink.url());
  site.import("customers",
              "id,name,email,phone,locale,customer_since,tags\n"
              "c1,Ana,ana@example.com,+5511900000001,en,2024-01-10,\n",
              "2026-08-01");
  site.import("services", "id,customer_id,kind,panel,account\ns1,c1,hosting,noc,ana\n", "2026-08-01");
  site.import("invoices",
              "id,customer_id,services,amount,currency,issued_on,due_on,status\n"
              "i-aug,c1,s1,49.90,BRL,2026-08-01,2026-08-05,open\n",
              "2026-08-01");
  site.import("payments",
              "id,invoice_id,amount,currency,method,source,reference,status,received_on\n"
              "p-aug,i-aug,49.90,BRL,pix,bank,E1,confirmed,2026-08-03\n",
              "2026-08-03");
  site.ok({"cancel", "s1", "--reason", "price"}, "2026-08-05");
  site.walk_and_dispatch("2026-09-01");
  REQUIRE(site.state("s1") == ServiceState::cancelled);

  const auto unpriced = site.ctl({"cancel", "--undo", "s1"}, "2026-09-15");
  INFO(unpriced.out << unpriced.err);
  CHECK(unpriced.exit_code == 1);
  CHECK(has(unpriced.err, "recurring_amount_unknown"));
  CHECK(site.state("s1") == ServiceState::cancelled);

  site.import("services",
              "id,customer_id,kind,panel,account,recurring_amount,recurring_currency\n"
              "s1,c1,hosting,noc,ana,49.90,BRL\n",
              "2026-09-15");
  const auto unpaid = site.ctl({"cancel", "--undo", "s1"}, "2026-09-15");
  INFO(unpaid.err);
  CHECK(unpaid.exit_code == 1);
  CHECK(has(unpaid.err, "period_fee_unpaid"));
  CHECK(has(unpaid.err, "must pay 49.90 BRL"));
  CHECK(has(unpaid.err, "missing 49.90 BRL"));

  // The customer pays the month (the bank matched the transfer to August's invoice, whose
  // reference they reused): money received since the end of service covers one month.
  site.import("payments",
              "id,invoice_id,amount,currency,method,source,reference,status,received_on\n"
              "p-sep,i-aug,49.90,BRL,pix,bank,E2,confirmed,2026-09-15\n",
              "2026-09-15");
  const auto back = site.ok_json({"cancel", "--undo", "s1"}, "2026-09-15");
  CHECK(back["state"] == "withdrawn");
  site.ok({"dispatch", "--until-empty"}, "2026-09-15");
  CHECK(panel_calls(panel) == std::vector<std::string>{"service.suspend s1", "service.unsuspend s1"});
  CHECK(site.state("s1") == ServiceState::active);
}

// Before the end of service the month is already paid: re-engagement asks nothing more.
TEST_CASE("re-engaging before the end of service needs no new fee", "[lifecycle]") {
  FakePanel panel(ok);
  TempDir mail;
  SmtpSink sink(mail / "mail");
  LifecycleSite site(kCancelPolicy, panel.url(), sink.url());
  site.import("customers",
              "id,name,email,phone,locale,customer_since,tags\n"
              "c1,Ana,ana@example.com,+5511900000001,en,2024-01-10,\n",
              "2026-08-01");
  site.import("services",
              "id,customer_id,kind,panel,account,recurring_amount,recurring_currency\n"
              "s1,c1,hosting,noc,ana,49.90,BRL\n",
              "2026-08-01");
  site.import("invoices",
              "id,customer_id,services,amount,currency,issued_on,due_on,status\n"
              "i-aug,c1,s1,49.90,BRL,2026-08-01,2026-08-05,paid\n",
              "2026-08-01");
  site.ok({"cancel", "s1", "--reason", "price"}, "2026-08-05");
  const auto back = site.ok_json({"cancel", "--undo", "s1"}, "2026-08-31");
  CHECK(back["state"] == "withdrawn");
  CHECK(site.state("s1") == ServiceState::active);
}

}  // namespace reengagement_fee_test
