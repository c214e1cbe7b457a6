// The console's customer page (docs/console.md) on a real installation (integration/correctness's
// Site: the real cobradorctl walking and dispatching to a loopback panel, a real SMTP server):
// the ladder's customer suspended on day 5 (moved to Monday by no_suspend_on) has, at the top of
// the page, the suspension with the rule that made it and the panel's answer; every notice as it
// was sent; and what the customer's record holds is shown as text, never run as markup.
#include <catch2/catch.hpp>

#include <string>

#include "integration/correctness/site.hpp"
#include "integration/http/http_test_client.hpp"
#include "integration/web/console_client.hpp"
#include "web/html.hpp"

using namespace cobrador;
using namespace cobrador::testing;

namespace console_customer_test {

const std::string kName = "<script>alert(1)</script>";

}  // namespace console_customer_test

using namespace console_customer_test;

TEST_CASE("console: the customer page says why the service was suspended, with the rule", "[console]") {
  Site site;
  const auto at = sao_paulo("2026-02-20", 9);
  site.import("customers", customers_csv({"c1," + kName + ",c1@example.com,,en,2024-01-10,,"}), at);
  site.import("services", services_csv({"s1,c1,hosting,noc,ana"}), at);
  site.import("invoices", invoices_csv({R"("INV-""7""'x",c1,s1,100.00,BRL,2026-02-20,2026-03-02,open)"}), at);
  for (const auto* day : {"2026-03-05", "2026-03-06", "2026-03-07", "2026-03-08", "2026-03-09"}) {
    site.walk(day);
    site.dispatch(sao_paulo(day, 6, 5));
  }
  REQUIRE(site.service_state("s1") == ServiceState::suspended);

  const ConsoleClient console(site, sao_paulo("2026-03-09", 10), kOperatorBearer);
  const auto page = console.get("/console/customers/c1");
  REQUIRE(page.status == 200);
  // Why, at the top: the stage, its rule and the panel's answer.
  const auto why = page.body.find(R"(<section class="card" id="why">)");
  REQUIRE(why != std::string::npos);
  const auto why_end = page.body.find("</section>", why);
  const auto box = page.body.substr(why, why_end - why);
  CHECK_THAT(box, Catch::Contains("<strong>s1</strong> was suspended on 2026-03-09"));
  CHECK_THAT(box, Catch::Contains("at the stage <em>suspend</em>"));
  const auto stage_runs = site.audit_details("c1", "stage_run");
  REQUIRE(stage_runs.size() == 3);
  const auto rule = stage_runs.back()["rule"].get<std::string>();
  CHECK_THAT(box, Catch::Contains(web::escape(rule)));
  CHECK_THAT(box, Catch::Contains("The panel answered"));
  // Every notice as it was sent: the three subjects are on the page.
  const auto notices = site.audit_details("c1", "notice_sent");
  REQUIRE(notices.size() == 3);
  for (const auto& notice : notices)
    CHECK_THAT(page.body, Catch::Contains(web::escape(notice["subject"].get<std::string>())));

  // The customer's name and the invoice's id are text: escaped wherever they appear.
  CHECK_THAT(page.body, Catch::Contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
  CHECK(page.body.find(kName) == std::string::npos);
  CHECK_THAT(page.body, Catch::Contains("INV-&quot;7&quot;&#39;x"));
  CHECK(page.body.find(R"(INV-"7")") == std::string::npos);

  // Search finds the customer by part of the name, and by id.
  for (const auto* query :
       {"/console/customers?q=alert", "/console/customers?q=c1", "/console/customers?q=C1%40EXAMPLE"}) {
    const auto found = console.get(query);
    REQUIRE(found.status == 200);
    CHECK_THAT(found.body, Catch::Contains(R"(<a href="/console/customers/c1">c1</a>)"));
  }
  CHECK_THAT(console.get("/console/customers?q=%25").body, Catch::Contains("No customer matches"));
  const auto missing = console.get("/console/customers/nobody");
  CHECK(missing.status == 404);
}
