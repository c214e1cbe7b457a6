// The cause of each non-payment (SPEC §11, docs/tasks.md), through the real cobradorctl on a real
// database: a debit returned with MS03 makes the episode's cause insufficient_funds in `show
// customer` and `report monthly`; an operator's call corrects it to hardship, and a later return
// does not undo the operator's word. The contact is interleaved with the decisions in `audit`.
#include <catch2/catch.hpp>

#include "integration/desk/desk_site.hpp"
#include "support/fake_panel.hpp"
#include "support/smtp_server.hpp"

using namespace cobrador;
using namespace cobrador::testing;
using nlohmann::json;

namespace {

const std::string kPolicy =
    "timezone: America/Sao_Paulo\nrun_at: \"06:00\"\nmin_notice_days: 0\n"
    "stages:\n  - name: reminder\n    when: { days_overdue: 3 }\n    notify: [email]\n    template: "
    "payment_reminder\n"
    "tasks:\n  ask_cause: { at_stage: reminder, due_days: 1 }\n";

const std::string kPayments =
    "id,invoice_id,amount,currency,method,reference,status,received_on,return_reason\n";

std::string cause_of(const LifecycleSite& site, const std::string& day) {
  const auto shown = site.ok_json({"show", "customer", "c1"}, day);
  return shown["cause"].is_null() ? "(none)" : shown["cause"]["code"].get<std::string>();
}

}  // namespace

TEST_CASE("a debit returned with MS03 is insufficient_funds until an operator's call says hardship",
          "[desk]") {
  FakePanel panel(ok);
  TempDir mail;
  SmtpSink sink(mail / "mail");
  LifecycleSite site(kPolicy, panel.url(), sink.url());
  site.import("customers", "id,name,email\nc1,Ana,ana@example.com\nc2,Bia,bia@example.com\n", "2026-08-01");
  site.import("services", "id,customer_id,kind,panel,account\ns1,c1,hosting,noc,ana\n", "2026-08-01");
  site.import("invoices",
              "id,customer_id,services,amount,currency,issued_on,due_on,status\n"
              "i1,c1,s1,49.90,BRL,2026-08-01,2026-08-05,open\n"
              "i2,c1,s1,10.00,BRL,2026-08-01,2026-08-05,open\n"
              "i3,c2,,10.00,BRL,2026-08-01,2026-08-05,open\n",
              "2026-08-01");
  site.import(
      "payments",
      kPayments +
          "p1,i1,49.90,BRL,debit,d1,confirmed,2026-08-05,\np2,i2,10.00,BRL,debit,d2,confirmed,2026-08-05,\n",
      "2026-08-05");
  CHECK(cause_of(site, "2026-08-05") == "(none)");

  site.import("payments", kPayments + "p1,i1,49.90,BRL,debit,d1,returned,2026-08-05,MS03\n", "2026-08-10");
  // Known before the episode starts: the customer's view says it already.
  CHECK(cause_of(site, "2026-08-10") == "insufficient_funds");
  site.walk_and_dispatch("2026-08-11");  // the episode starts (day 6) and takes the cause
  auto shown = site.ok_json({"show", "customer", "c1"}, "2026-08-11");
  CHECK(shown["cause"]["code"] == "insufficient_funds");
  CHECK(shown["cause"]["source"] == "bank:MS03");
  CHECK(shown["cause"]["episode"] == 1);
  CHECK(site.ok({"show", "customer", "c1"}, "2026-08-11").find("cause of non-payment: insufficient_funds") !=
        std::string::npos);
  // The cause was known when the reminder ran: no call to ask it; c2's is unknown: one call.
  CHECK(site.ok_json({"tasks", "--kind", "ask_cause", "--customer", "c1"}, "2026-08-11").empty());
  CHECK(site.ok_json({"tasks", "--kind", "ask_cause", "--customer", "c2"}, "2026-08-11").size() == 1);

  auto report = site.ok_json({"report", "monthly", "--month", "2026-08"}, "2026-08-11");
  CHECK(report["episodes_started"] == 2);
  CHECK(report["episodes_by_cause"]["insufficient_funds"] == 1);
  CHECK(report["episodes_by_cause"]["unknown"] == 1);

  const auto contact = site.ok_json({"contact", "c1", "--channel", "phone", "--outcome", "reached", "--cause",
                                     "hardship", "--note", "lost her job; pays on the 20th"},
                                    "2026-08-12");
  CHECK(contact["cause"] == "hardship");
  CHECK(contact["operator"].get<std::string>().rfind("operator:", 0) == 0);
  CHECK(cause_of(site, "2026-08-12") == "hardship");
  report = site.ok_json({"report", "monthly", "--month", "2026-08"}, "2026-08-12");
  CHECK(report["episodes_by_cause"]["hardship"] == 1);
  CHECK(!report["episodes_by_cause"].contains("insufficient_funds"));

  // Another return: the bank's code does not overrule what the customer told the operator.
  site.import("payments", kPayments + "p2,i2,10.00,BRL,debit,d2,returned,2026-08-05,AM04\n", "2026-08-13");
  CHECK(cause_of(site, "2026-08-13") == "hardship");

  // The contact sits between the decisions in the customer's audit trail.
  std::vector<std::string> events;
  for (const auto& row : site.ok_json({"audit", "c1"}, "2026-08-13")) events.push_back(row["event"]);
  const auto at = [&](const std::string& e) {
    return std::find(events.begin(), events.end(), e) - events.begin();
  };
  REQUIRE(at("contact_recorded") < static_cast<long>(events.size()));
  CHECK(at("episode_started") < at("contact_recorded"));
  CHECK(at("contact_recorded") < static_cast<long>(events.size()) - 1);  // the second return came after it

  // Bad words are refused with the accepted ones.
  const auto bad = site.ctl({"contact", "c1", "--channel", "fax", "--outcome", "reached"}, "2026-08-13");
  CHECK(bad.exit_code == 1);
  CHECK(bad.err.find("channel: 'fax' is not one of phone, sms, email") != std::string::npos);
  const auto bad_cause = site.ctl(
      {"contact", "c1", "--channel", "phone", "--outcome", "reached", "--cause", "lazy"}, "2026-08-13");
  CHECK(bad_cause.exit_code == 1);
  CHECK(bad_cause.err.find("cause: 'lazy'") != std::string::npos);
}
