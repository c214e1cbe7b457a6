// "Did dunning work?" (docs/console.md, `report monthly`): on a real installation, three
// customers of the ladder fall behind in March; one pays after the reminder, one after its
// suspension, one not at all. The report and the console's page tell them apart, with the money
// recovered and the stage it came after.
#include <catch2/catch.hpp>

#include <string>

#include "integration/correctness/site.hpp"
#include "integration/http/http_test_client.hpp"

using namespace cobrador;
using namespace cobrador::testing;

TEST_CASE("report monthly and the console tell how March's episodes ended", "[console]") {
  Site site;
  const auto at = sao_paulo("2026-02-20", 9);
  site.import(
      "customers",
      customers_csv({"c1,Ana,c1@example.com,,en,2024-01-10,,", "c2,Bia,c2@example.com,,en,2024-01-10,,",
                     "c3,Caio,c3@example.com,,en,2024-01-10,,"}),
      at);
  site.import("services",
              services_csv({"s1,c1,hosting,noc,ana", "s2,c2,hosting,noc,bia", "s3,c3,hosting,noc,caio"}), at);
  site.import("invoices",
              invoices_csv({"i1,c1,s1,100.00,BRL,2026-02-20,2026-03-02,open",
                            "i2,c2,s2,100.00,BRL,2026-02-20,2026-03-02,open",
                            "i3,c3,s3,100.00,BRL,2026-02-20,2026-03-02,open"}),
              at);
  const auto pay = [&site](const std::string& invoice, const std::string& day) {
    site.import(
        "payments",
        payments_csv({fmt::format("p-{0},{0},100.00,BRL,pix,bank,E-{0},confirmed,{1}", invoice, day)}),
        sao_paulo(day, 9));
  };
  for (const auto* day :
       {"2026-03-05", "2026-03-06", "2026-03-07", "2026-03-08", "2026-03-09", "2026-03-10"}) {
    site.walk(day);
    site.dispatch(sao_paulo(day, 6, 5));
    if (std::string(day) == "2026-03-05") pay("i1", day);  // after the reminder
    if (std::string(day) == "2026-03-10") pay("i2", day);  // after the suspension of the 9th
  }
  site.dispatch(sao_paulo("2026-03-10", 10));

  const auto report = site.ctl_json({"report", "monthly", "--month", "2026-03"}, sao_paulo("2026-03-11", 9));
  CHECK(report["episodes_started"] == 3);
  CHECK(report["episodes_by_end"]["paid_before_suspension"] == 1);
  CHECK(report["episodes_by_end"]["paid_after_suspension"] == 1);
  CHECK(report["episodes_by_end"]["open"] == 1);
  CHECK(report["episodes_by_end"]["locked"] == 0);
  CHECK(report["recovered"] == nlohmann::json{{"BRL", "200.00"}});
  const auto& stages = report["recovery_by_last_stage"];
  REQUIRE(stages.size() == 4);  // none, reminder, warning, suspend
  CHECK(stages[1] == nlohmann::json{{"stage", "reminder"}, {"episodes", 1}, {"recovered", 1}});
  CHECK(stages[3] == nlohmann::json{{"stage", "suspend"}, {"episodes", 2}, {"recovered", 1}});
  std::int64_t recovered = 0;
  for (const auto& bucket : report["days_to_recovery"]) recovered += bucket["episodes"].get<std::int64_t>();
  CHECK(recovered == 2);

  const auto now = sao_paulo("2026-03-11", 10);
  const auto signed_in = http_request("POST", site.url("/console/sign-in", now), "token=" + kReadBearer,
                                      {{"Content-Type", "application/x-www-form-urlencoded"}});
  REQUIRE(signed_in.status == 303);
  const auto cookie = signed_in.header("set-cookie").substr(0, signed_in.header("set-cookie").find(';'));
  const auto page =
      http_request("GET", site.url("/console/dunning?month=2026-03", now), "", {{"Cookie", cookie}});
  REQUIRE(page.status == 200);
  CHECK_THAT(page.body, Catch::Contains("<p class=\"muted\">3 started in the month</p>"));
  CHECK_THAT(page.body,
             Catch::Contains(
                 R"(<tr><td>paid after a suspension</td><td class="n">1</td><td class="n">33 %</td></tr>)"));
  CHECK_THAT(page.body, Catch::Contains(R"(<tr><td>BRL</td><td class="n">200.00</td></tr>)"));
  CHECK_THAT(
      page.body,
      Catch::Contains(
          R"(<tr><td>suspend</td><td class="n">2</td><td class="n">1</td><td class="n">50 %</td></tr>)"));
  // This month by default; a month that is not one is a 404 page, not an error.
  CHECK(http_request("GET", site.url("/console/dunning", now), "", {{"Cookie", cookie}}).status == 200);
  CHECK(
      http_request("GET", site.url("/console/dunning?month=2026-13", now), "", {{"Cookie", cookie}}).status ==
      404);
}
