// reactivation_after_lock { pay_all_debts: true, months_upfront: 3 } measured in money (issue 18,
// point 7), end to end through the real cobradorctl, walk and dispatcher: the locked notice
// names what to pay (the debt plus three months of the service's imported recurring price), a
// customer who paid only the debt stays locked, and the operator's reactivation goes through
// once the payments since the lock cover the debt and the three months. A service whose price
// was never imported cannot be reactivated: an unknown price is not a free one.
#include <catch2/catch.hpp>

#include "lifecycle_site.hpp"
#include "lock_scenario.hpp"
#include "support/has_text.hpp"
#include "support/fake_panel.hpp"
#include "support/smtp_server.hpp"

using namespace cobrador;
using namespace cobrador::testing;

// A named namespace, not an anonymous one: the tests build in unity batches.
namespace lock_upfront_test {

const std::string kUpfrontPolicy = lock_policy(3);

// Three monthly invoices of 49.90 for one service, none paid; `services_csv` says the service.
void seed_unpaid_quarter(const LifecycleSite& site, const std::string& services_csv) {
  site.import("customers",
              "id,name,email,phone,locale,customer_since,tags\n"
              "c1,Ana,ana@example.com,+5511900000001,en,2024-01-10,\n",
              "2026-03-01");
  site.import("services", services_csv, "2026-03-01");
  import_unpaid_quarter(site);
}

// The debt, paid in full on 12 May.
void pay_the_debt(const LifecycleSite& site) {
  site.import("payments",
              "id,invoice_id,amount,currency,method,source,reference,status,received_on\n"
              "p1,i1,49.90,BRL,pix,bank,E1,confirmed,2026-05-12\n"
              "p2,i2,49.90,BRL,pix,bank,E2,confirmed,2026-05-12\n"
              "p3,i3,49.90,BRL,pix,bank,E3,confirmed,2026-05-12\n",
              "2026-05-12");
  site.walk_and_dispatch("2026-05-12");
}

// The bodies of the mails whose subject starts like the `locked` template's.
std::vector<std::string> locked_mails(const SmtpSink& sink) {
  std::vector<std::string> bodies;
  for (const auto& mail : sink.messages()) {
    if (mail["subject"].get<std::string>().find("terminated for non-payment") != std::string::npos)
      bodies.push_back(mail["body"]);
  }
  return bodies;
}

TEST_CASE("a locked customer who paid only the debt stays locked until the three months upfront are paid",
          "[lifecycle]") {
  FakePanel panel(ok);
  TempDir mail;
  SmtpSink sink(mail / "mail");
  LifecycleSite site(kUpfrontPolicy, panel.url(), sink.url());
  seed_unpaid_quarter(site,
                      "id,customer_id,kind,panel,account,recurring_amount,recurring_currency\n"
                      "s1,c1,hosting,noc,ana,29.90,BRL\n");
  walk_to_lock(site);

  // The notice states the terms: 149.70 owed + 3 x 29.90 = 239.40 BRL.
  const auto bodies = locked_mails(sink);
  REQUIRE(bodies.size() == 1);
  INFO(bodies[0]);
  CHECK(has(bodies[0], "pay 239.40 BRL: what is owed and 3 months of service in advance"));

  pay_the_debt(site);
  CHECK(site.state("s1") == ServiceState::locked);
  const auto debt_only = site.ctl({"reactivate", "s1", "--reason", "customer paid"}, "2026-05-12");
  INFO(debt_only.err);
  CHECK(debt_only.exit_code == 1);
  CHECK(has(debt_only.err, "upfront_payment_missing"));
  CHECK(has(debt_only.err, "must pay 239.40 BRL"));
  CHECK(has(debt_only.err, "missing 89.70 BRL"));
  auto shown = site.ok_json({"show", "customer", "c1"}, "2026-05-12")["reactivation"];
  CHECK(shown["debts_paid"] == true);
  CHECK(shown["upfront_paid"] == false);
  CHECK(shown["locked_on"] == "2026-05-11");
  CHECK(shown["owed_at_lock"]["BRL"] == "149.70");
  CHECK(shown["required_since_lock"]["BRL"] == "239.40");
  CHECK(shown["paid_since_lock"]["BRL"] == "149.70");
  CHECK(shown["missing"]["BRL"] == "89.70");

  // Two of the three months are not enough either.
  site.import("invoices",
              "id,customer_id,services,amount,currency,issued_on,due_on,status\n"
              "i4,c1,s1,89.70,BRL,2026-05-13,2026-05-20,open\n",
              "2026-05-13");
  site.import("payments",
              "id,invoice_id,amount,currency,method,source,reference,status,received_on\n"
              "p4,i4,59.80,BRL,pix,bank,E4,confirmed,2026-05-13\n",
              "2026-05-13");
  const auto partial = site.ctl({"reactivate", "s1", "--reason", "customer paid"}, "2026-05-13");
  CHECK(partial.exit_code == 1);
  CHECK(has(partial.err, "debts_unpaid"));  // i4's 29.90 is still open

  // The billing system's invoice for the three months, paid in full: back.
  site.import("payments",
              "id,invoice_id,amount,currency,method,source,reference,status,received_on\n"
              "p5,i4,29.90,BRL,pix,bank,E5,confirmed,2026-05-14\n",
              "2026-05-14");
  shown = site.ok_json({"show", "customer", "c1"}, "2026-05-14")["reactivation"];
  CHECK(shown["upfront_paid"] == true);
  CHECK(shown["missing"] == nlohmann::json::object());
  site.ok({"reactivate", "s1", "--reason", "debt and three months paid"}, "2026-05-14");
  site.ok({"dispatch", "--until-empty"}, "2026-05-14");
  CHECK(panel_calls(panel).back() == "service.unsuspend s1");
  CHECK(site.state("s1") == ServiceState::active);
}

TEST_CASE("a locked service whose recurring price was never imported is not reactivated", "[lifecycle]") {
  FakePanel panel(ok);
  TempDir mail;
  SmtpSink sink(mail / "mail");
  LifecycleSite site(kUpfrontPolicy, panel.url(), sink.url());
  seed_unpaid_quarter(site, "id,customer_id,kind,panel,account\ns1,c1,hosting,noc,ana\n");
  walk_to_lock(site);
  pay_the_debt(site);
  // A generous overpayment does not stand in for a price nobody knows.
  site.import("invoices",
              "id,customer_id,services,amount,currency,issued_on,due_on,status\n"
              "i4,c1,s1,500.00,BRL,2026-05-13,2026-05-20,open\n",
              "2026-05-13");
  site.import("payments",
              "id,invoice_id,amount,currency,method,source,reference,status,received_on\n"
              "p4,i4,500.00,BRL,pix,bank,E4,confirmed,2026-05-13\n",
              "2026-05-13");
  const auto refused = site.ctl({"reactivate", "s1", "--reason", "customer paid"}, "2026-05-13");
  INFO(refused.err);
  CHECK(refused.exit_code == 1);
  CHECK(has(refused.err, "recurring_amount_unknown"));
  CHECK(site.actions(ActionKind::unsuspend).empty());

  // Once the billing system says the price, the money is measured and it is enough.
  site.import("services",
              "id,customer_id,kind,panel,account,recurring_amount,recurring_currency\n"
              "s1,c1,hosting,noc,ana,29.90,BRL\n",
              "2026-05-13");
  site.ok({"reactivate", "s1", "--reason", "price imported"}, "2026-05-13");
  site.ok({"dispatch", "--until-empty"}, "2026-05-13");
  CHECK(site.state("s1") == ServiceState::active);
}

}  // namespace lock_upfront_test
