// A lock for non-payment end to end, through the real cobradorctl, the real walk and the real
// dispatcher against a loopback webhook panel and a real SMTP server: three unpaid invoices
// lock the service, every contact hears of it, the debt goes to the collections export, and
// the purge comes after the retention, preceded by the last-chance backup offer. A payment
// after the lock does not bring the service back; the operator does, once the debts are paid.
#include <catch2/catch.hpp>

#include <algorithm>

#include "lifecycle_site.hpp"
#include "lock_scenario.hpp"
#include "support/fake_panel.hpp"
#include "support/smtp_server.hpp"

using namespace cobrador;
using namespace cobrador::testing;

namespace {

const std::string kLockPolicy = lock_policy(0);

const char* kAddresses[] = {"ana@example.com", "ana.work@example.com"};

// Three monthly invoices for one service, none paid.
void seed_unpaid_quarter(const LifecycleSite& site) {
  site.import("customers",
              "id,name,email,phone,locale,customer_since,tags\n"
              "c1,\"Ana, Ltd\",ana@example.com;ana.work@example.com,+5511900000001,en,2024-01-10,\n",
              "2026-03-01");
  site.import("services", "id,customer_id,kind,panel,account\ns1,c1,hosting,noc,ana\n", "2026-03-01");
  import_unpaid_quarter(site);
}

// Recipients of the mails whose subject contains `words`.
std::vector<std::string> mailed(const SmtpSink& sink, const std::string& template_subject) {
  std::vector<std::string> to;
  for (const auto& mail : sink.messages()) {
    if (mail["subject"].get<std::string>().find(template_subject) != std::string::npos)
      to.push_back(mail["rcpt_tos"][0]);
  }
  std::sort(to.begin(), to.end());
  return to;
}

std::string subject_of(const std::string& name) {
  auto text = read_file(std::string(COBRADOR_SOURCE_DIR) + "/etc/templates/en/" + name + ".subject");
  return text.substr(0, text.find_first_of("{\n"));  // the words before any variable
}

// Locked on 11 May, through the panel both times.
void lock(const LifecycleSite& site, const FakePanel& panel) {
  walk_to_lock(site);
  REQUIRE(panel_calls(panel) == std::vector<std::string>{"service.suspend s1", "service.suspend s1"});
}

}  // namespace

TEST_CASE("three unpaid invoices lock the service, the debt goes to collections, the purge follows the offer",
          "[lifecycle]") {
  FakePanel panel(ok);
  TempDir mail;
  SmtpSink sink(mail / "mail");
  LifecycleSite site(kLockPolicy, panel.url(), sink.url());
  seed_unpaid_quarter(site);
  lock(site, panel);

  // Every contact of the customer is told, with the purge date (11 May + 30 days).
  const std::vector<std::string> everyone{kAddresses[1], kAddresses[0]};
  CHECK(mailed(sink, subject_of("locked")) == everyone);
  const auto shown = site.ok_json({"show", "customer", "c1"}, "2026-05-12");
  CHECK(shown["state"] == "locked");
  CHECK(shown["reactivation"]["pay_all_debts"] == true);
  CHECK(shown["reactivation"]["open_invoices"] == nlohmann::json({"i1", "i2", "i3"}));

  const auto csv = site.ok({"export", "collections"}, "2026-05-12");
  CHECK(csv ==
        "customer_id,name,emails,phones,currency,amount_owed,invoices,oldest_due_on,locked_on,services\r\n"
        "c1,\"Ana, Ltd\",ana@example.com;ana.work@example.com,+5511900000001,BRL,149.70,i1;i2;i3,2026-03-10,"
        "2026-05-11,s1\r\n");

  // The purge day is 10 June; the last-chance offer goes out 7 days before, to everyone.
  site.walk_and_dispatch("2026-06-02");
  CHECK(mailed(sink, subject_of("last_chance_backup")).empty());
  site.walk_and_dispatch("2026-06-03");
  CHECK(mailed(sink, subject_of("last_chance_backup")) == everyone);
  site.walk_and_dispatch("2026-06-09");
  CHECK(panel_calls(panel).size() == 2);
  site.walk_and_dispatch("2026-06-10");
  CHECK(panel_calls(panel).back() == "service.terminate s1");
  CHECK(site.state("s1") == ServiceState::purged);

  CHECK(site.ok_json({"report", "monthly", "--month", "2026-03"}, "2026-06-10")["suspensions"] == 1);
  const auto may = site.ok_json({"report", "monthly", "--month", "2026-05"}, "2026-06-10");
  CHECK(may["locks"] == 1);
  CHECK(may["suspensions"] == 0);
  CHECK(site.ok_json({"report", "monthly", "--month", "2026-06"}, "2026-06-10")["purges"] == 1);
}

TEST_CASE("a payment after the lock does not reactivate, the operator does once the debts are paid",
          "[lifecycle]") {
  FakePanel panel(ok);
  TempDir mail;
  SmtpSink sink(mail / "mail");
  LifecycleSite site(kLockPolicy, panel.url(), sink.url());
  seed_unpaid_quarter(site);
  lock(site, panel);

  const auto early = site.ctl({"reactivate", "s1", "--reason", "customer called"}, "2026-05-12");
  CHECK(early.exit_code == 1);
  CHECK(early.err.find("debts_unpaid") != std::string::npos);
  CHECK(early.err.find("i1") != std::string::npos);

  site.import("payments",
              "id,invoice_id,amount,currency,method,source,reference,status,received_on\n"
              "p1,i1,49.90,BRL,pix,bank,E1,confirmed,2026-05-12\n"
              "p2,i2,49.90,BRL,pix,bank,E2,confirmed,2026-05-12\n"
              "p3,i3,49.90,BRL,pix,bank,E3,confirmed,2026-05-12\n",
              "2026-05-12");
  site.walk_and_dispatch("2026-05-12");
  CHECK(site.state("s1") == ServiceState::locked);
  CHECK(site.actions(ActionKind::unsuspend).empty());
  const auto shown = site.ok_json({"show", "customer", "c1"}, "2026-05-12");
  CHECK(shown["reactivation"]["debts_paid"] == true);
  CHECK(shown["reactivation"]["requires"].get<std::string>().find("operator") != std::string::npos);

  site.ok({"reactivate", "s1", "--reason", "paid in full"}, "2026-05-13");
  site.ok({"dispatch", "--until-empty"}, "2026-05-13");
  CHECK(panel_calls(panel).back() == "service.unsuspend s1");
  CHECK(site.state("s1") == ServiceState::active);

  site.walk_and_dispatch("2026-06-10");
  CHECK(site.actions(ActionKind::purge).empty());
  CHECK(mailed(sink, subject_of("last_chance_backup")).empty());
  CHECK(site.ok_json({"report", "monthly", "--month", "2026-05"}, "2026-06-10")["reactivations"] == 1);
}
