// Each kind of task opened by a rule of the policy (docs/tasks.md), through the real cobradorctl on a
// real database: created from its rule, and never twice for one subject and episode — not when
// the walk runs again, not when two processes walk the same day at once (on PostgreSQL two
// daemons share the database; on SQLite the second waits for the first).
#include <catch2/catch.hpp>

#include <future>

#include "integration/desk/desk_site.hpp"
#include "support/fake_panel.hpp"
#include "support/smtp_server.hpp"

using namespace cobrador;
using namespace cobrador::testing;
using nlohmann::json;

namespace {

const std::string kStages =
    "timezone: America/Sao_Paulo\nrun_at: \"06:00\"\nmin_notice_days: 0\n"
    "stages:\n  - name: reminder\n    when: { days_overdue: 3 }\n    notify: [email]\n    template: "
    "payment_reminder\n"
    "  - name: warning\n    when: { days_overdue: 4 }\n    notify: [email]\n    template: "
    "suspension_warning\n";

// Two walks of `day` at once, as two daemons (or cron and a daemon) would.
void walk_twice_at_once(const LifecycleSite& site, const std::string& day) {
  auto first = std::async(std::launch::async, [&] { return site.ctl({"walk"}, day); });
  auto second = std::async(std::launch::async, [&] { return site.ctl({"walk"}, day); });
  const auto a = first.get();
  const auto b = second.get();
  INFO(a.err << b.err);
  CHECK(a.exit_code == 0);
  CHECK(b.exit_code == 0);
}

}  // namespace

TEST_CASE("ask_cause: a call when the episode reaches the stage with no cause, once per episode", "[desk]") {
  FakePanel panel(ok);
  TempDir mail;
  SmtpSink sink(mail / "mail");
  LifecycleSite site(kStages + "tasks:\n  ask_cause: { at_stage: warning, due_days: 1 }\n", panel.url(),
                     sink.url());
  site.import("customers", "id,name,email\nc1,Ana,ana@example.com\n", "2026-08-01");
  site.import("invoices",
              "id,customer_id,services,amount,currency,issued_on,due_on,status\n"
              "i1,c1,,49.90,BRL,2026-07-01,2026-08-01,open\n",
              "2026-08-01");
  site.ok({"walk"}, "2026-08-04");  // the reminder: not the stage of the rule
  CHECK(tasks_of(site, "ask_cause", "2026-08-04").empty());
  walk_twice_at_once(site, "2026-08-05");  // the warning
  auto calls = tasks_of(site, "ask_cause", "2026-08-05");
  REQUIRE(calls.size() == 1);
  CHECK(calls[0]["due_on"] == "2026-08-06");
  CHECK(calls[0]["subject"] == "customer:c1");
  CHECK(calls[0]["details"]["episode"] == 1);
  site.ok({"walk"}, "2026-08-05");
  site.ok({"walk"}, "2026-08-06");
  CHECK(tasks_of(site, "ask_cause", "2026-08-06").size() == 1);

  // Done: the call reached the customer, who said why.
  const auto id = std::to_string(calls[0]["id"].get<std::int64_t>());
  // Given to a person, who finds it in their own list.
  CHECK(site.ok_json({"task", "assign", id, "--to", "maria"}, "2026-08-06")["assignee"] == "maria");
  CHECK(site.ok_json({"tasks", "--assignee", "maria"}, "2026-08-06").size() == 1);
  CHECK(site.ok_json({"tasks", "--assignee", "joao"}, "2026-08-06").empty());
  CHECK(site.ctl({"task", "done", id}, "2026-08-06").exit_code == 1);  // no outcome
  site.ok({"contact", "c1", "--channel", "phone", "--outcome", "reached", "--cause", "forgot", "--task", id},
          "2026-08-06");
  const auto closed =
      site.ok_json({"task", "done", id, "--outcome", "reached", "--note", "pays today"}, "2026-08-06");
  CHECK(closed["state"] == "done");
  CHECK(closed["closed_by"].get<std::string>().rfind("operator:", 0) == 0);
  const auto wrong = site.ctl({"task", "done", id, "--outcome", "charged"}, "2026-08-06");
  CHECK(wrong.exit_code == 1);

  // A new episode asks again.
  site.import("payments",
              "id,invoice_id,amount,currency,status,received_on\np1,i1,49.90,BRL,confirmed,2026-08-07\n",
              "2026-08-07");
  site.import("invoices",
              "id,customer_id,services,amount,currency,issued_on,due_on,status\n"
              "i2,c1,,49.90,BRL,2026-08-01,2026-09-01,open\n",
              "2026-09-01");
  site.ok({"walk"}, "2026-09-05");
  calls = tasks_of(site, "ask_cause", "2026-09-05");
  REQUIRE(calls.size() == 2);
  CHECK(calls[0]["details"]["episode"] == 2);  // the open one first
}

TEST_CASE("invite_to_cancel: the third episode within twelve months invites the customer to cancel",
          "[desk]") {
  FakePanel panel(ok);
  TempDir mail;
  SmtpSink sink(mail / "mail");
  LifecycleSite site(kStages + "tasks:\n  invite_to_cancel: { episodes: 3, within_months: 12 }\n",
                     panel.url(), sink.url());
  site.import("customers", "id,name,email\nc1,Ana,ana@example.com\n", "2026-01-01");
  const std::string header = "id,customer_id,services,amount,currency,issued_on,due_on,status\n";
  const std::string payments = "id,invoice_id,amount,currency,status,received_on\n";
  for (const auto& [month, next] : std::vector<std::pair<std::string, std::string>>{
           {"2026-01", "2026-02"}, {"2026-03", "2026-04"}, {"2026-05", "2026-06"}}) {
    site.import("invoices", header + "i" + month + ",c1,,10.00,BRL," + month + "-01," + month + "-01,open\n",
                month + "-01");
    walk_twice_at_once(site, month + "-04");  // day 3: an episode starts with the reminder
    const auto invited = tasks_of(site, "invite_to_cancel", month + "-04");
    CHECK(invited.size() == (month == "2026-05" ? 1u : 0u));
    site.import("payments", payments + "p" + month + ",i" + month + ",10.00,BRL,confirmed," + month + "-05\n",
                month + "-05");
    site.ok({"walk"}, month + "-06");
  }
  const auto invited = tasks_of(site, "invite_to_cancel", "2026-05-06");
  REQUIRE(invited.size() == 1);
  CHECK(invited[0]["details"]["episodes_in_window"] == 3);
  CHECK(invited[0]["details"]["episode"] == 3);
}

TEST_CASE("open_invoices_at_cancellation: finance charges what is more than 15 days overdue", "[desk]") {
  FakePanel panel(ok);
  TempDir mail;
  SmtpSink sink(mail / "mail");
  LifecycleSite site(kStages +
                         "cancellation: { require_no_open_invoices: false }\n"
                         "tasks:\n  open_invoices_at_cancellation: { charge_after_days: 15 }\n",
                     panel.url(), sink.url());
  site.import("customers", "id,name,email\nc1,Ana,ana@example.com\nc2,Bia,bia@example.com\n", "2026-07-01");
  site.import("services", "id,customer_id,kind,panel,account\ns1,c1,hosting,noc,ana\ns2,c2,hosting,noc,bia\n",
              "2026-07-01");
  site.import("invoices",
              "id,customer_id,services,amount,currency,issued_on,due_on,status\n"
              "boleto-jul,c1,s1,49.90,BRL,2026-07-01,2026-07-10,open\n"
              "boleto-aug,c1,s1,49.90,BRL,2026-08-01,2026-08-05,open\n",
              "2026-08-01");
  const auto cancelled = site.ok_json({"cancel", "s1", "--reason", "price"}, "2026-08-08");
  REQUIRE(cancelled.size() == 1);
  auto finance = tasks_of(site, "open_invoices_at_cancellation", "2026-08-08");
  REQUIRE(finance.size() == 1);
  CHECK(finance[0]["details"]["charge_the_customer"] == true);
  CHECK(finance[0]["title"].get<std::string>().find("charge the customer c1 for boleto-jul") !=
        std::string::npos);
  const auto& invoices = finance[0]["details"]["invoices"];
  REQUIRE(invoices.size() == 2);
  CHECK(invoices[0]["invoice"] == "boleto-jul");
  CHECK(invoices[0]["charge_the_customer"] == true);   // 29 days overdue
  CHECK(invoices[1]["charge_the_customer"] == false);  // 3 days
  // Asked again: the same cancellation, the same task. Nothing open: no task.
  site.ok({"cancel", "s1", "--reason", "price"}, "2026-08-09");
  CHECK(tasks_of(site, "open_invoices_at_cancellation", "2026-08-09").size() == 1);
  site.ok({"cancel", "s2", "--reason", "price"}, "2026-08-09");
  CHECK(site.ok_json({"tasks", "--customer", "c2"}, "2026-08-09").empty());
}

TEST_CASE("today's alerts are tasks: an unmatched credit waits in the inbox until it is placed", "[desk]") {
  FakePanel panel(ok);
  TempDir mail;
  SmtpSink sink(mail / "mail");
  LifecycleSite site(kStages, panel.url(), sink.url());
  site.import("customers", "id,name,email\nc1,Ana,ana@example.com\n", "2026-08-01");
  const auto statement = site.dir.write("statement.csv",
                                        "date,amount,currency,direction,reference,description,id\n"
                                        "2026-08-02,77.00,BRL,credit,nothing-known,PIX,e-1\n");
  site.ok({"bank", "import", statement.string()}, "2026-08-02");
  site.ok({"bank", "import", statement.string()}, "2026-08-03");  // the same file again: nothing new
  auto unmatched = site.ok_json({"tasks"}, "2026-08-03");
  REQUIRE(unmatched.size() == 1);
  CHECK(unmatched[0]["kind"] == "unmatched_payment");
  CHECK(unmatched[0]["subject"].get<std::string>().rfind("bank_entry:", 0) == 0);
  const auto id = std::to_string(unmatched[0]["id"].get<std::int64_t>());
  site.ok({"task", "done", id, "--outcome", "refunded", "--note", "sent back to the payer"}, "2026-08-04");
  CHECK(site.ok_json({"tasks"}, "2026-08-04").empty());
  const auto all = site.ok_json({"tasks", "--state", "done"}, "2026-08-04");
  REQUIRE(all.size() == 1);
  CHECK(all[0]["outcome"] == "refunded");
  const auto bad = site.ctl({"tasks", "--state", "later"}, "2026-08-04");
  CHECK(bad.exit_code == 1);
  CHECK(bad.err.find("state: 'later' is not one of open, done, dismissed") != std::string::npos);
}
