// The billing systems as panels (issue 24): WHMCS's ModuleSuspend/ModuleUnsuspend/ModuleTerminate
// and FOSSBilling's order/suspend, order/unsuspend, order/cancel, over real HTTP against loopback
// stand-ins that answer as each vendor documents (docs/connectors.md): WHMCS's form-encoded API
// with identifier and secret, and HTTP 200 with result "error" for a refusal; FOSSBilling's
// admin API with basic auth and its {result, error} envelope.
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "hooks/form_encoding.hpp"
#include "hooks/panel_factory.hpp"
#include "integration/hooks/run_call.hpp"
#include "support/fake_panel.hpp"
#include "util/crypto.hpp"

using namespace cobrador;
using namespace cobrador::testing;
using hooks::Outcome;
using hooks::PanelCall;

namespace {

struct BillingPanelFixture {
  BillingPanelFixture(const std::string& type, FakePanel::Handler handler) : server(std::move(handler)) {
    hooks::PanelConfig config;
    config.type = type;
    config.url = server.url() + "/";
    config.identifier = "IDENT-123";
    config.secret = "SECRET-456";
    config.timeout = std::chrono::seconds(2);
    auto made = hooks::make_panel(type, config, http, io, fixed_now);
    REQUIRE(made);
    panel = std::move(made).value();
  }

  Outcome run(PanelCall call) {
    call.account = "1042";  // the billing system's own service (order) id
    return run_call(*panel, call, io);
  }

  FakePanel server;
  boost::asio::io_context io;
  net::HttpClient http{io};
  std::unique_ptr<hooks::Panel> panel;
};

FakeResponse json_answer(int status, const nlohmann::json& body) {
  return FakeResponse{status, {{"Content-Type", "application/json"}}, body.dump(), {}};
}

}  // namespace

TEST_CASE("whmcs: suspend, unsuspend and terminate through WHMCS's module calls", "[hooks][whmcs]") {
  BillingPanelFixture f("whmcs", [](const FakeRequest&) {
    return json_answer(200, {{"result", "success"}});
  });
  CHECK(f.run(sample_call(PanelCall::Kind::suspend)).kind == Outcome::Kind::done);
  CHECK(f.run(sample_call(PanelCall::Kind::unsuspend)).kind == Outcome::Kind::done);
  CHECK(f.run(sample_call(PanelCall::Kind::terminate)).kind == Outcome::Kind::done);
  const auto seen = f.server.requests();
  REQUIRE(seen.size() == 3);
  std::vector<std::string> actions;
  for (const auto& request : seen) {
    CHECK(request.method == "POST");
    CHECK(request.path == "/includes/api.php");
    CHECK(request.header("content-type") == "application/x-www-form-urlencoded");
    const auto form = hooks::decode_form(request.body);
    CHECK(hooks::form_value(form, "identifier") == "IDENT-123");
    CHECK(hooks::form_value(form, "secret") == "SECRET-456");
    CHECK(hooks::form_value(form, "serviceid") == "1042");
    CHECK(hooks::form_value(form, "responsetype") == "json");
    actions.push_back(hooks::form_value(form, "action"));
  }
  CHECK(actions == std::vector<std::string>{"ModuleSuspend", "ModuleUnsuspend", "ModuleTerminate"});
  // Not WHMCS's own "Overdue on Payment", which its automation would lift when the invoice is
  // marked paid there: only the bank's money lifts cobrador's suspension.
  CHECK(hooks::form_value(hooks::decode_form(seen[0].body), "suspendreason") == "cobrador: non-payment");
}

TEST_CASE("whmcs: HTTP 200 with result error is a refusal, and bad credentials are named", "[hooks][whmcs]") {
  BillingPanelFixture refused("whmcs", [](const FakeRequest&) {
    return json_answer(200, {{"result", "error"}, {"message", "Service not assigned to a module"}});
  });
  const auto outcome = refused.run(sample_call(PanelCall::Kind::suspend));
  CHECK(outcome.kind == Outcome::Kind::failed);
  CHECK(outcome.detail == "WHMCS ModuleSuspend refused: Service not assigned to a module");

  BillingPanelFixture denied("whmcs", [](const FakeRequest&) {
    return json_answer(403, {{"result", "error"}, {"message", "Authentication Failed"}});
  });
  const auto wrong = denied.run(sample_call(PanelCall::Kind::suspend));
  CHECK(wrong.kind == Outcome::Kind::failed);
  CHECK(wrong.detail == "WHMCS ModuleSuspend: Authentication Failed (HTTP 403)");

  BillingPanelFixture busy("whmcs", [](const FakeRequest&) {
    return FakeResponse{503, {}, "maintenance", {}};
  });
  CHECK(busy.run(sample_call(PanelCall::Kind::suspend)).kind == Outcome::Kind::retry);
  CHECK(busy.run(sample_call(PanelCall::Kind::backup)).kind == Outcome::Kind::failed);
  CHECK(busy.server.requests().size() == 1);  // a backup never reaches WHMCS
}

TEST_CASE("fossbilling: orders are suspended, unsuspended and cancelled through the admin API",
          "[hooks][fossbilling]") {
  BillingPanelFixture f("fossbilling", [](const FakeRequest&) {
    return json_answer(200, {{"result", true}, {"error", nullptr}});
  });
  CHECK(f.run(sample_call(PanelCall::Kind::suspend)).kind == Outcome::Kind::done);
  CHECK(f.run(sample_call(PanelCall::Kind::unsuspend)).kind == Outcome::Kind::done);
  CHECK(f.run(sample_call(PanelCall::Kind::terminate)).kind == Outcome::Kind::done);
  const auto seen = f.server.requests();
  REQUIRE(seen.size() == 3);
  CHECK(seen[0].path == "/api/admin/order/suspend");
  CHECK(seen[1].path == "/api/admin/order/unsuspend");
  CHECK(seen[2].path == "/api/admin/order/cancel");
  for (const auto& request : seen) {
    CHECK(request.header("authorization") == "Basic " + crypto::base64_encode("admin:SECRET-456"));
    CHECK(nlohmann::json::parse(request.body)["id"] == "1042");
  }
  CHECK(nlohmann::json::parse(seen[0].body)["reason"] == "Overdue on payment");

  BillingPanelFixture refusals("fossbilling", [](const FakeRequest& r) {
    const std::string message = r.path == "/api/admin/order/suspend"
                                    ? "Only active orders can be suspended"
                                    : "Only suspended orders can be unsuspended";
    return json_answer(200, {{"result", nullptr}, {"error", {{"message", message}, {"code", 9999}}}});
  });
  // Suspending an order that no longer runs is done; unsuspending one that is not suspended is
  // for the operator to look at.
  CHECK(refusals.run(sample_call(PanelCall::Kind::suspend)).kind == Outcome::Kind::done);
  const auto unsuspend = refusals.run(sample_call(PanelCall::Kind::unsuspend));
  CHECK(unsuspend.kind == Outcome::Kind::failed);
  CHECK(unsuspend.detail ==
        "FOSSBilling order/unsuspend refused: Only suspended orders can be unsuspended (code 9999)");

  BillingPanelFixture denied("fossbilling", [](const FakeRequest&) {
    return json_answer(
        401, {{"result", nullptr}, {"error", {{"message", "Authentication Failed"}, {"code", 205}}}});
  });
  const auto wrong = denied.run(sample_call(PanelCall::Kind::suspend));
  CHECK(wrong.kind == Outcome::Kind::failed);
  CHECK(wrong.detail == "FOSSBilling order/suspend: Authentication Failed (code 205) (HTTP 401)");
}

namespace {

hooks::PaymentRecord sample_payment() {
  return {"c1:payment7:payment:event:billing",
          "1001",
          "camt:BR18:E2E-ANA-1001:1",
          "49.90",
          "BRL",
          "2026-12-02",
          "banktransfer",
          std::nullopt};
}

}  // namespace

// A write-back retried after its answer was lost finds its transaction in WHMCS and adds
// nothing: AddInvoicePayment would have made the second payment the client's credit.
TEST_CASE("whmcs: a payment WHMCS has already is not added again", "[hooks][whmcs]") {
  BillingPanelFixture f("whmcs", [](const FakeRequest& request) {
    const auto form = hooks::decode_form(request.body);
    if (hooks::form_value(form, "action") == "GetTransactions")
      return json_answer(
          200, {{"result", "success"},
                {"totalresults", 1},
                {"transactions",
                 {{"transaction", nlohmann::json::array({{{"id", 9},
                                                          {"invoiceid", 1001},
                                                          {"transid", hooks::form_value(form, "transid")},
                                                          {"amountin", "49.90"}}})}}}});
    return json_answer(200, {{"result", "success"}});
  });
  REQUIRE(f.panel->takes_payments());
  const auto outcome = run_payment(*f.panel, sample_payment(), f.io);
  CHECK(outcome.kind == Outcome::Kind::done);
  CHECK_THAT(outcome.detail, Catch::Contains("is recorded already"));
  const auto seen = f.server.requests();
  REQUIRE(seen.size() == 1);
  const auto form = hooks::decode_form(seen[0].body);
  CHECK(hooks::form_value(form, "action") == "GetTransactions");
  CHECK(hooks::form_value(form, "invoiceid") == "1001");
  CHECK(hooks::form_value(form, "transid") == "camt:BR18:E2E-ANA-1001:1");
}

// WHMCS refusing the payment (a cancelled invoice) is a failure the operator reads.
TEST_CASE("whmcs: AddInvoicePayment refused is a failure with WHMCS's words", "[hooks][whmcs]") {
  BillingPanelFixture f("whmcs", [](const FakeRequest& request) {
    const auto form = hooks::decode_form(request.body);
    if (hooks::form_value(form, "action") == "GetTransactions")
      return json_answer(200, {{"result", "success"}, {"totalresults", 0}, {"transactions", ""}});
    return json_answer(200,
                       {{"result", "error"},
                        {"message", "It is not possible to add a payment to an invoice that is Cancelled"}});
  });
  const auto outcome = run_payment(*f.panel, sample_payment(), f.io);
  CHECK(outcome.kind == Outcome::Kind::failed);
  CHECK(
      outcome.detail ==
      "WHMCS AddInvoicePayment refused: It is not possible to add a payment to an invoice that is Cancelled");
  CHECK(f.server.requests().size() == 2);
}

// FOSSBilling: invoice/mark_as_paid with the bank entry as the transaction id; its answer `true`
// also for an invoice paid already, so a retry is done.
TEST_CASE("fossbilling: a payment is recorded with invoice/mark_as_paid", "[hooks][fossbilling]") {
  BillingPanelFixture f("fossbilling", [](const FakeRequest&) {
    return json_answer(200, {{"result", true}, {"error", nullptr}});
  });
  REQUIRE(f.panel->takes_payments());
  auto payment = sample_payment();
  payment.gateway = "1";
  const auto outcome = run_payment(*f.panel, payment, f.io);
  CHECK(outcome.kind == Outcome::Kind::done);
  const auto seen = f.server.requests();
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].path == "/api/admin/invoice/mark_as_paid");
  CHECK(seen[0].header("authorization") == "Basic " + crypto::base64_encode("admin:SECRET-456"));
  const auto body = nlohmann::json::parse(seen[0].body);
  CHECK(body == nlohmann::json{{"id", "1001"},
                               {"transactionId", "camt:BR18:E2E-ANA-1001:1"},
                               {"execute", false},
                               {"gateway_id", "1"}});
}

namespace billing_system_panels_test {

hooks::PaymentRecord sample_return() {
  auto payment = sample_payment();
  payment.idempotency_key = "c1:payment7:return:event:billing";
  payment.returned = hooks::PaymentRecord::Return{"csv:RET-77", "2026-12-05", "MS03 insufficient funds"};
  return payment;
}

}  // namespace billing_system_panels_test

// A return reported again after a lost answer: WHMCS has the refund transaction already, so only
// the invoice's status is set again (harmless twice); no second money-out transaction.
TEST_CASE("whmcs: a return WHMCS has already only reopens the invoice", "[hooks][whmcs]") {
  BillingPanelFixture f("whmcs", [](const FakeRequest& request) {
    const auto form = hooks::decode_form(request.body);
    if (hooks::form_value(form, "action") == "GetTransactions")
      return json_answer(200, {{"result", "success"},
                               {"totalresults", 1},
                               {"transactions",
                                {{"transaction", nlohmann::json::array({{{"id", 10},
                                                                         {"invoiceid", 1001},
                                                                         {"transid", "csv:RET-77"},
                                                                         {"amountout", "49.90"}}})}}}});
    return json_answer(200, {{"result", "success"}, {"invoiceid", "1001"}});
  });
  const auto outcome = run_payment(*f.panel, billing_system_panels_test::sample_return(), f.io);
  CHECK(outcome.kind == Outcome::Kind::done);
  const auto seen = f.server.requests();
  REQUIRE(seen.size() == 2);
  CHECK(hooks::form_value(hooks::decode_form(seen[0].body), "transid") == "csv:RET-77");
  const auto update = hooks::decode_form(seen[1].body);
  CHECK(hooks::form_value(update, "action") == "UpdateInvoice");
  CHECK(hooks::form_value(update, "invoiceid") == "1001");
  CHECK(hooks::form_value(update, "status") == "Unpaid");
}

// FOSSBilling: the invoice is set unpaid with the return in its notes, after the notes it had;
// reported again, the notes already name the return and stay as they are.
TEST_CASE("fossbilling: a return sets the invoice unpaid and notes it once", "[hooks][fossbilling]") {
  std::string notes = "Customer asked for a paper copy";
  FakePanel::Handler handler = [&notes](const FakeRequest& request) {
    const auto body = nlohmann::json::parse(request.body);
    if (request.path == "/api/admin/invoice/get")
      return json_answer(
          200, {{"result", {{"id", 1001}, {"status", "paid"}, {"notes", notes}}}, {"error", nullptr}});
    if (request.path == "/api/admin/invoice/update") {
      notes = body["notes"].get<std::string>();
      return json_answer(200, {{"result", true}, {"error", nullptr}});
    }
    return json_answer(200, {{"result", nullptr}, {"error", {{"message", "Unknown method"}, {"code", 740}}}});
  };
  BillingPanelFixture f("fossbilling", handler);
  const auto outcome = run_payment(*f.panel, billing_system_panels_test::sample_return(), f.io);
  CHECK(outcome.kind == Outcome::Kind::done);
  auto seen = f.server.requests();
  REQUIRE(seen.size() == 2);
  CHECK(nlohmann::json::parse(seen[0].body) == nlohmann::json{{"id", "1001"}});
  const auto update = nlohmann::json::parse(seen[1].body);
  CHECK(update["id"] == "1001");
  CHECK(update["status"] == "unpaid");
  CHECK(update["paid_at"] == "");
  CHECK(notes.rfind("Customer asked for a paper copy\nReturned debit MS03 insufficient funds", 0) == 0);
  CHECK_THAT(notes, Catch::Contains("bank entry csv:RET-77"));

  const auto first = notes;
  CHECK(run_payment(*f.panel, billing_system_panels_test::sample_return(), f.io).kind == Outcome::Kind::done);
  CHECK(notes == first);
}
