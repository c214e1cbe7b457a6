// Issue 18, point 5: a direct debit that came back counts in returned_debits_in_a_row whoever
// reports it — a bank statement, the billing system on POST /v1/payments, an operator's
// `cobradorctl import payments` — with its reason code, once per return, and a confirmed
// payment ends the run. End to end: three returns, and the daily walk runs the stage
// `when: { returned_debits_in_a_row: 3 }` with `lock: true`, whose panel calls end with
// service.terminate. Real cobradorctl, the API on 127.0.0.1 over the same database, the real
// dispatcher into the loopback fake panel; on SQLite and PostgreSQL ([payments]).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include <fmt/format.h>

#include "site.hpp"
#include "support/test_database.hpp"

using namespace cobrador;
using namespace cobrador::testing;
using nlohmann::json;

namespace {

// Nothing but the end of the line: three returned debits in a row lock every service, the
// purge follows 30 days later (the last-chance offer 7 days before it).
const std::string kReturnsPolicy = R"(timezone: America/Sao_Paulo
run_at: "06:00"
min_notice_days: 0
stages:
  - name: debit_returns
    when: { returned_debits_in_a_row: 3 }
    lock: true
    collections: true
    notify: [email]
    template: locked
    purge_after: 30 days
backups: { allowed_in: [active], offer_before_purge_days: 7 }
reactivation_after_lock: { pay_all_debts: true, months_upfront: 0 }
)";

const std::string kPaymentsHeader =
    "id,invoice_id,amount,currency,method,reference,status,received_on,return_reason";

// c1 pays by direct debit: service s1 on the webhook panel, three monthly invoices the billing
// system marked paid when it collected each debit.
void seed(Site& site) {
  const auto at = sao_paulo("2025-12-20", 9);
  site.import("customers", customers_csv({"c1,Ana Debito,ana@example.com,,en,2024-01-10,,"}), at);
  site.import("services", services_csv({"s1,c1,hosting,noc,ana"}), at);
  site.import("invoices",
              invoices_csv({"i1,c1,s1,49.90,BRL,2025-12-26,2026-01-05,paid",
                            "i2,c1,s1,49.90,BRL,2026-01-26,2026-02-05,paid",
                            "i3,c1,s1,49.90,BRL,2026-02-26,2026-03-05,paid"}),
              at);
}

json returned_debit(const std::string& id, const std::string& invoice, const std::string& day,
                    const std::string& reason) {
  return {{"id", id},
          {"invoice_id", invoice},
          {"amount", "49.90"},
          {"currency", "BRL"},
          {"method", "direct_debit"},
          {"reference", "DD-" + id},
          {"status", "returned"},
          {"received_on", day},
          {"return_reason", reason}};
}

// The billing system reports one returned debit; the answer is the payment as recorded.
Site::Reply post(Site& site, const json& payment, Instant at) {
  const auto reply = site.call("POST", "/v1/payments", payment, kBillingBearer, at);
  INFO(reply.body.dump());
  return reply;
}

// payments.return_reason, where the bank's returns keep their code too.
std::string stored_reason(Site& site, const std::string& payment) {
  const auto rows = query(site.database(), "SELECT return_reason FROM payments WHERE ext_id = $1", {payment});
  return rows.empty() ? "(no payment)" : rows[0][0];
}

int returned_in_a_row(Site& site) {
  return site.db().snapshot(site.db().customer("c1")->id).returned_debits_in_a_row;
}

std::vector<std::string> panel_calls_of(Site& site) {
  std::vector<std::string> out;
  for (const auto& c : site.panel_calls()) out.push_back(c.type + " " + c.service + "@" + c.date);
  return out;
}

void walk_then_dispatch(Site& site, const std::string& day) {
  site.walk(day);
  site.dispatch(sao_paulo(day, 6, 5));
}

// The third return is counted: the next walk locks s1 (a service.suspend with the lock), and
// the purge 30 days after the lock terminates it through the panel.
void third_return_ends_the_line(Site& site) {
  REQUIRE(returned_in_a_row(site) == 3);
  walk_then_dispatch(site, "2026-03-09");
  REQUIRE(panel_calls_of(site) == std::vector<std::string>{"service.suspend s1@2026-03-09"});
  CHECK(site.service_state("s1") == ServiceState::locked);
  const auto ran = site.audit_details("c1", "stage_run");
  REQUIRE(ran.size() == 1);
  CHECK(ran[0]["stage"] == "debit_returns");
  CHECK(ran[0]["rule"].get<std::string>().find("returned_debits_in_a_row 3 >= 3") != std::string::npos);

  walk_then_dispatch(site, "2026-04-01");  // the last-chance offer, 7 days before the purge
  walk_then_dispatch(site, "2026-04-08");  // 9 March + 30 days
  CHECK(panel_calls_of(site) ==
        std::vector<std::string>{"service.suspend s1@2026-03-09", "service.terminate s1@2026-04-08"});
  CHECK(site.service_state("s1") == ServiceState::purged);
}

}  // namespace

TEST_CASE("three direct debits returned through POST /v1/payments end the line through the panel",
          "[correctness][payments]") {
  Site site(kReturnsPolicy);
  seed(site);

  const auto first =
      post(site, returned_debit("dd-1", "i1", "2026-01-05", "MD06"), sao_paulo("2026-01-08", 10));
  REQUIRE(first.status == 201);
  CHECK(first.body["status"] == "returned");
  CHECK(first.body["return_reason"] == "MD06");
  // As a bank statement's return: counted, the invoice owed again, the audit row with the rule.
  CHECK(returned_in_a_row(site) == 1);
  CHECK(site.db().invoice("i1")->invoice.status == InvoiceStatus::open);
  CHECK(site.db().invoice("i1")->balance.minor == 4990);
  CHECK(stored_reason(site, "dd-1") == "MD06");
  const auto returned = site.audit_details("c1", "payment_returned");
  REQUIRE(returned.size() == 1);
  CHECK(returned[0]["payment"] == "dd-1");
  CHECK(returned[0]["reason"] == "MD06");
  CHECK(returned[0]["reason_text"] == "refund requested by the debtor");
  CHECK(returned[0]["_actor"] == "billing");

  // The same return reported again, even with another code, is the same return.
  CHECK(post(site, returned_debit("dd-1", "i1", "2026-01-05", "MD06"), sao_paulo("2026-01-08", 11)).status ==
        200);
  CHECK(post(site, returned_debit("dd-1", "i1", "2026-01-05", "AM04"), sao_paulo("2026-01-08", 12)).status ==
        200);
  CHECK(returned_in_a_row(site) == 1);
  CHECK(site.audit_details("c1", "payment_returned").size() == 1);

  // Two returns are not three: the walk leaves the service alone.
  REQUIRE(
      post(site, returned_debit("dd-2", "i2", "2026-02-05", "AM04"), sao_paulo("2026-02-09", 10)).status ==
      201);
  CHECK(returned_in_a_row(site) == 2);
  walk_then_dispatch(site, "2026-02-10");
  CHECK(panel_calls_of(site).empty());
  CHECK(site.service_state("s1") == ServiceState::active);

  REQUIRE(
      post(site, returned_debit("dd-3", "i3", "2026-03-05", "AM04"), sao_paulo("2026-03-08", 10)).status ==
      201);
  third_return_ends_the_line(site);
}

TEST_CASE("three direct debits returned through cobradorctl import payments end the line through the panel",
          "[correctness][payments]") {
  Site site(kReturnsPolicy);
  seed(site);

  // A CSV file with one return, then a JSON-lines file with two (one of them sent again).
  site.import("payments",
              kPaymentsHeader + "\ndd-1,i1,49.90,BRL,direct_debit,DD-1,returned,2026-01-05,MD06\n",
              sao_paulo("2026-01-08", 10));
  CHECK(returned_in_a_row(site) == 1);
  const auto lines = site.dir.write(
      "returns.jsonl",
      R"({"id": "dd-1", "invoice_id": "i1", "amount": "49.90", "currency": "BRL", "status": "returned", "received_on": "2026-01-05", "return_reason": "MD06", "method": "direct_debit", "reference": "DD-1"})"
      "\n"
      R"({"id": "dd-2", "invoice_id": "i2", "amount": "49.90", "currency": "BRL", "status": "returned", "received_on": "2026-02-05", "return_reason": "AM04"})"
      "\n"
      R"({"id": "dd-3", "invoice_id": "i3", "amount": "49.90", "currency": "BRL", "status": "returned", "received_on": "2026-03-05", "return_reason": "MS02"})"
      "\n");
  const auto imported = site.ctl_json({"import", "payments", lines.string()}, sao_paulo("2026-03-08", 10));
  CHECK(imported["unchanged"] == 1);
  CHECK(imported["inserted"] == 2);
  CHECK(site.db().invoice("i3")->invoice.status == InvoiceStatus::open);
  CHECK(site.audit_details("c1", "payment_returned").size() == 3);
  third_return_ends_the_line(site);
}

TEST_CASE("a confirmed payment ends the run, whoever reports it, and a bank return is not counted twice",
          "[correctness][payments]") {
  Site site(kReturnsPolicy);
  seed(site);
  const auto at = sao_paulo("2026-02-09", 10);
  REQUIRE(post(site, returned_debit("dd-1", "i1", "2026-01-05", "MD06"), at).status == 201);
  REQUIRE(post(site, returned_debit("dd-2", "i2", "2026-02-05", "AM04"), at).status == 201);
  REQUIRE(returned_in_a_row(site) == 2);

  // The customer pays i1 by transfer; the operator imports it confirmed: the run is over.
  site.import("payments", kPaymentsHeader + "\ntr-1,i1,49.90,BRL,transfer,T1,confirmed,2026-02-10,\n",
              sao_paulo("2026-02-10", 10));
  CHECK(returned_in_a_row(site) == 0);

  // The March debit is confirmed by the billing system's import, then the bank's statement
  // returns it (one), then the billing system reports the same return (still one).
  site.import("payments",
              kPaymentsHeader + "\ndd-3,i3,49.90,BRL,direct_debit,DD-dd-3,confirmed,2026-03-05,\n",
              sao_paulo("2026-03-06", 10));
  CHECK(returned_in_a_row(site) == 0);
  const auto statement = site.dir.write("statement.csv",
                                        "date,amount,currency,direction,reference,id,return_reason\n2026-03-"
                                        "10,49.90,BRL,debit,DD-dd-3,R1,AM04\n");
  const auto bank = site.ctl_json({"bank", "import", statement.string(), "--source", "bank-ch"},
                                  sao_paulo("2026-03-10", 10));
  CHECK(bank["returned"] == 1);
  CHECK(returned_in_a_row(site) == 1);
  CHECK(post(site, returned_debit("dd-3", "i3", "2026-03-05", "AM04"), sao_paulo("2026-03-10", 11)).status ==
        200);
  CHECK(returned_in_a_row(site) == 1);
  CHECK(site.db().payment("dd-3")->status == PaymentStatus::returned);
  CHECK(stored_reason(site, "dd-3") == "AM04");
}

// The usual life of a direct debit: it is recorded collected (confirmed), and days later the
// bank takes it back (both reported in the operator's imports). A confirmation that was undone ends no run:
// three months of it are three returns in a row, not one (the count is taken from the payments).
TEST_CASE("debits collected and then returned, three months running, end the line",
          "[correctness][payments]") {
  Site site(kReturnsPolicy);
  seed(site);
  int returns = 0;
  for (const auto& [id, invoice, day] :
       {std::tuple{"dd-1", "i1", "2026-01-05"}, std::tuple{"dd-2", "i2", "2026-02-05"},
        std::tuple{"dd-3", "i3", "2026-03-05"}}) {
    site.import("payments",
                kPaymentsHeader +
                    fmt::format("\n{0},{1},49.90,BRL,direct_debit,DD-{0},confirmed,{2},\n", id, invoice, day),
                sao_paulo(day, 10));
    site.import("payments",
                kPaymentsHeader + fmt::format("\n{0},{1},49.90,BRL,direct_debit,DD-{0},returned,{2},MD06\n",
                                              id, invoice, day),
                sao_paulo(day, 15));
    CHECK(returned_in_a_row(site) == ++returns);
  }
  third_return_ends_the_line(site);
}

TEST_CASE("a returned payment without its reason code is refused, naming the field, and nothing is written",
          "[correctness][payments]") {
  Site site(kReturnsPolicy);
  seed(site);
  const auto at = sao_paulo("2026-01-08", 10);

  auto body = returned_debit("dd-1", "i1", "2026-01-05", "MD06");
  body.erase("return_reason");
  const auto missing = post(site, body, at);
  CHECK(missing.status == 400);
  CHECK(missing.body["error"]["code"] == "missing_field");
  CHECK(missing.body["error"]["field"] == "return_reason");
  body["return_reason"] = "";
  CHECK(post(site, body, at).body["error"]["field"] == "return_reason");
  body["return_reason"] = "MD 06; DROP";
  const auto bad = post(site, body, at);
  CHECK(bad.status == 400);
  CHECK(bad.body["error"]["code"] == "invalid_field");
  auto confirmed = returned_debit("dd-1", "i1", "2026-01-05", "MD06");
  confirmed["status"] = "pending";
  const auto stray = post(site, confirmed, at);
  CHECK(stray.status == 400);
  CHECK(stray.body["error"]["field"] == "return_reason");

  // The import names the file, the line and the field, and writes no row of the file.
  const auto file =
      site.dir.write("returns.csv", kPaymentsHeader +
                                        "\ndd-1,i1,49.90,BRL,direct_debit,DD-1,returned,2026-01-05,MD06\n"
                                        "dd-2,i2,49.90,BRL,direct_debit,DD-2,returned,2026-02-05,\n");
  const auto refused = site.ctl({"import", "payments", file.string()}, at);
  CHECK(refused.exit_code != 0);
  CHECK(refused.err.find("returns.csv:3: return_reason: is required when status is returned") !=
        std::string::npos);

  CHECK_FALSE(site.db().payment("dd-1"));
  CHECK_FALSE(site.db().payment("dd-2"));
  CHECK(returned_in_a_row(site) == 0);
  CHECK(site.db().invoice("i1")->invoice.status == InvoiceStatus::paid);
  CHECK(site.audit_details("c1", "payment_returned").empty());
}
