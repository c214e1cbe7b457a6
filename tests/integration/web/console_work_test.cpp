// The console's forms (docs/console.md), on a real installation (integration/correctness's Site:
// the real cobradorctl, a loopback panel, a real SMTP server, the real HTTP server): a read
// session and a form without the session's CSRF token change nothing; an operator retries a dead
// action, closes its task, places an unmatched bank credit on an invoice (the invoice's balance
// changes in the store, the entry's task is closed) and grants a trust release shown as eligible
// before the click. Each goes through the same service function as cobradorctl.
#include <catch2/catch.hpp>

#include <string>

#include "integration/correctness/site.hpp"
#include "integration/http/http_test_client.hpp"
#include "integration/web/console_client.hpp"
#include "support/test_database.hpp"

using namespace cobrador;
using namespace cobrador::testing;

namespace console_work_test {

std::string policy_with_trust_release() {
  return kLadderPolicy +
         "trust_release:\n  enabled: true\n  days: 3\n  min_customer_months: 6\n  new_customer_days: 0\n"
         "  max_per_12_months: 2\n  blocked_after_broken_promise_days: 365\n";
}

std::string one(Site& site, const std::string& sql) {
  const auto rows = query(site.database(), sql);
  REQUIRE(rows.size() == 1);
  return rows[0][0];
}

}  // namespace console_work_test

using namespace console_work_test;

TEST_CASE("console: the Work page's forms retry, close, place and grant, and read or CSRF change nothing",
          "[console]") {
  Site site(policy_with_trust_release());
  const auto at = sao_paulo("2026-02-20", 9);
  site.import("customers", customers_csv({"c1,Ana,c1@example.com,,en,2024-01-10,,"}), at);
  site.import("services", services_csv({"s1,c1,hosting,noc,ana"}), at);
  site.import("invoices", invoices_csv({"i1,c1,s1,100.00,BRL,2026-02-20,2026-03-02,open"}), at);

  // The reminder's e-mail meets a server that refuses every connection until it is given up.
  site.walk("2026-03-05");
  site.set_smtp_url("smtp://127.0.0.1:9");
  for (int hour = 6; hour <= 20; ++hour) site.dispatch(sao_paulo("2026-03-05", hour, 5));
  site.set_smtp_url("");
  store::ActionFilter dead;
  dead.state = ActionState::dead;
  const auto given_up = site.db().actions(dead);
  REQUIRE(given_up.size() == 1);
  const auto action = std::to_string(given_up[0].id);
  for (const auto* day : {"2026-03-06", "2026-03-07", "2026-03-08", "2026-03-09"}) {
    site.walk(day);
    site.dispatch(sao_paulo(day, 6, 5));
  }
  REQUIRE(site.service_state("s1") == ServiceState::suspended);
  // Money in that names no invoice and fits none.
  const auto statement = site.dir.write("statement.csv",
                                        "date,amount,currency,direction,reference,description,id\n"
                                        "2026-03-09,77.00,BRL,credit,XYZ-1,Deposito,DEP-1\n"
                                        "2026-03-09,55.00,BRL,credit,XYZ-2,Deposito,DEP-2\n");
  REQUIRE(site.ctl_json({"bank", "import", statement.string(), "--source", "bank"},
                        sao_paulo("2026-03-09", 9))["unmatched"] == 2);
  const auto entry = one(site, "SELECT identity FROM bank_entries WHERE amount = 7700");

  const auto now = sao_paulo("2026-03-09", 10);
  const ConsoleClient reader(site, now, kReadBearer);
  const ConsoleClient ops(site, now, kOperatorBearer);

  // A read session sees the lists and no form; posting anyway is refused.
  const auto seen = reader.get("/console/work");
  REQUIRE(seen.status == 200);
  CHECK_THAT(seen.body, Catch::Contains(given_up[0].key));
  CHECK_THAT(seen.body, Catch::Contains(entry));
  CHECK(seen.body.find("<form method=\"post\" action=\"/console/actions/") == std::string::npos);
  const auto read_post = reader.post("/console/actions/" + action + "/retry", "csrf=" + reader.csrf());
  CHECK(read_post.status == 403);
  CHECK_THAT(read_post.body, Catch::Contains("This session is read only"));
  // An operator's form without the session's token: refused.
  CHECK(ops.post("/console/actions/" + action + "/retry", "").status == 403);
  CHECK(ops.post("/console/actions/" + action + "/retry", "csrf=" + reader.csrf()).status == 403);
  CHECK(site.db().actions(dead).size() == 1);

  const auto csrf = ops.csrf();
  // Retry the dead action: pending again.
  auto reply = ops.post("/console/actions/" + action + "/retry", "csrf=" + csrf);
  CHECK(reply.status == 303);
  CHECK(reply.header("location") == "/console/work#dead-actions");
  CHECK(one(site, "SELECT state FROM actions WHERE id = " + action) == "pending");
  auto page = ops.get("/console/work");
  CHECK_THAT(page.body, Catch::Contains("is pending again"));

  // The retry was the work its task asked for: closed with it, as the operator's.
  CHECK(
      one(site, "SELECT state || ' ' || outcome || ' ' || closed_by FROM tasks WHERE kind = 'action_dead'") ==
      "done retried operator:ops");

  // Close a task with an outcome of its kind: the second deposit is not ours.
  const auto second = one(site,
                          "SELECT t.id FROM tasks t JOIN bank_entries e ON t.subject = 'bank_entry:' || "
                          "e.identity WHERE e.amount = 5500");
  // An outcome the kind does not have is refused, and said so.
  ops.post("/console/tasks/" + second + "/outcome", "csrf=" + csrf + "&outcome=done%3Aretried");
  CHECK_THAT(ops.get("/console/work").body, Catch::Contains("notice bad"));
  CHECK(one(site, "SELECT state FROM tasks WHERE id = " + second) == "open");
  reply = ops.post("/console/tasks/" + second + "/outcome",
                   "csrf=" + csrf + "&outcome=done%3Anot_ours&note=a+neighbour%27s+deposit");
  CHECK(reply.status == 303);
  CHECK(one(site, "SELECT state || ' ' || outcome || ' ' || closed_by || ' ' || note FROM tasks WHERE id = " +
                      second) == "done not_ours operator:ops a neighbour's deposit");
  const auto other = one(site,
                         "SELECT t.id FROM tasks t JOIN bank_entries e ON t.subject = 'bank_entry:' || "
                         "e.identity WHERE e.amount = 7700");

  // Place the unmatched credit on i1: 100.00 owed becomes 23.00, the entry is matched, its task done.
  const auto balance = [&site] {
    return one(
        site,
        "SELECT i.amount - COALESCE((SELECT SUM(p.amount) FROM payments p WHERE p.invoice_id = i.id AND "
        "p.status = 'confirmed'), 0) FROM invoices i WHERE i.ext_id = 'i1'");
  };
  REQUIRE(balance() == "10000");
  std::string encoded;
  for (const char c : entry) encoded += (c == ':' ? std::string("%3A") : std::string(1, c));
  reply = ops.post("/console/bank-entries/" + encoded + "/place", "csrf=" + csrf + "&invoice=i1");
  CHECK(reply.status == 303);
  CHECK(balance() == "2300");
  CHECK(one(site, "SELECT outcome FROM bank_entries WHERE identity = '" + entry + "'") == "matched");
  CHECK(one(site, "SELECT state || ' ' || outcome FROM tasks WHERE id = " + other) == "done matched_by_hand");
  CHECK(
      one(site, "SELECT COUNT(*) FROM audit WHERE event = 'bank_entry_placed' AND actor = 'operator:ops'") ==
      "1");
  // Placed again: refused, nothing more paid.
  ops.post("/console/bank-entries/" + encoded + "/place", "csrf=" + csrf + "&invoice=i1");
  CHECK(balance() == "2300");

  // The trust release: eligible before the click, granted by it.
  const auto customer = ops.get("/console/customers/c1");
  REQUIRE(customer.status == 200);
  CHECK_THAT(customer.body, Catch::Contains("The policy allows a trust release now"));
  CHECK(one(site, "SELECT COUNT(*) FROM promises") == "0");
  reply = ops.post("/console/customers/c1/trust-release", "csrf=" + csrf + "&reason=promised+on+the+phone");
  CHECK(reply.status == 303);
  CHECK(reply.header("location") == "/console/customers/c1#trust-release");
  CHECK(one(site, "SELECT granted_by || ' ' || reason FROM promises") ==
        "operator:ops promised on the phone");
  const auto after = ops.get("/console/customers/c1");
  CHECK_THAT(after.body, Catch::Contains("Trust release granted until"));
  CHECK_THAT(after.body, Catch::Contains("open_promise"));
}
