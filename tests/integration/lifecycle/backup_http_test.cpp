// Backups over real HTTP (POST /v1/services/{id}/backups and the panel's signed callback on
// /v1/hooks/panel/noc), with the walk and the real dispatcher run on the same SQLite file
// against a loopback webhook panel that answers 202 to backups: refused while suspended
// (the reason named), allowed once a confirmed payment lifted the suspension, and a purge
// that falls due while that backup is in flight waits for it.
#include <catch2/catch.hpp>

#include <boost/asio/io_context.hpp>

#include <fmt/format.h>

#include "dispatch/dispatcher.hpp"
#include "dispatch/outbound_setup.hpp"
#include "integration/http/api_fixture.hpp"
#include "support/fake_panel.hpp"
#include "support/smtp_server.hpp"
#include "walk/walk.hpp"

using namespace cobrador;
using namespace cobrador::testing;

namespace {

const char* kPolicy =
    "timezone: America/Sao_Paulo\nrun_at: \"06:00\"\nmin_notice_days: 0\n"
    "stages:\n  - name: suspend\n    when: { days_overdue: 1 }\n    suspend: billed_services\n"
    "    notify: [email]\n    template: suspended\n"
    "backups: { allowed_in: [active], offer_before_purge_days: 2 }\n"
    "cancellation: { notice_day_of_month: 10, service_until: end_of_month, purge_after: 1 month, "
    "require_no_open_invoices: true }\n";

// The API on a real file, plus the walk and the dispatcher the daemon would run beside it.
struct Site : ApiFixture {
  Site() : ApiFixture({}, kPolicy), sink(mail / "mail") {}

  void walk_on(const char* day) {
    set_now(*parse_instant(std::string(day) + "T12:00:00Z"));
    walk::walk(db(), policy(), now());
  }

  dispatch::DispatchCounts drain() {
    dispatch::Outbound outbound;
    dispatch::PanelSetup noc;
    noc.config.type = "webhook";
    noc.config.url = panel.url() + "/hook";
    noc.config.secret = kPanelSecret;
    noc.config.timeout = std::chrono::seconds(5);
    outbound.panels["noc"] = noc;
    notify::SmtpConfig smtp;
    smtp.smtp_url = sink.url();
    smtp.starttls = notify::StartTls::none;
    smtp.from = "Billing <billing@example.com>";
    outbound.email = smtp;
    outbound.templates = std::string(COBRADOR_SOURCE_DIR) + "/etc/templates";
    outbound.support = {{"support_phone", "+55 11 4000-0000"},
                        {"support_email", "billing@example.com"},
                        {"support_url", "https://example.com/billing"}};
    dispatch::DispatcherOptions options;
    options.owner = "test-dispatcher";
    options.now = [this] { return now(); };
    options.seed = 7;
    dispatch::Dispatcher dispatcher(io, db(), outbound, options);
    return dispatcher.drain_until_empty();
  }

  std::vector<std::string> panel_calls() const {
    std::vector<std::string> calls;
    for (const auto& request : panel.requests()) {
      const auto body = nlohmann::json::parse(request.body);
      calls.push_back(body["type"].get<std::string>());
    }
    return calls;
  }

  // The panel runs backups in the background (202) and does the rest at once.
  FakePanel panel{[](const FakeRequest& request) {
    const bool backup = nlohmann::json::parse(request.body)["type"] == "service.backup";
    return FakeResponse{backup ? 202 : 200, {}, "{}"};
  }};
  TempDir mail;
  SmtpSink sink;
  boost::asio::io_context io;
};

std::string payment_body() {
  return R"({"id": "p1", "invoice_id": "i1", "amount": "49.90", "currency": "BRL", "method": "pix",
             "reference": "E2E-1", "status": "confirmed", "received_on": "2026-03-05"})";
}

}  // namespace

TEST_CASE("a backup is refused while suspended, allowed after payment, and a due purge waits for it",
          "[lifecycle][http]") {
  Site site;
  site.seed_customer("c1");
  site.seed_invoice("i1", "c1", "49.90", *parse_date("2026-03-03"));
  site.walk_on("2026-03-05");
  site.drain();
  REQUIRE(site.db().service("s-c1")->state == ServiceState::suspended);

  // Suspended: 409 naming the state and the rule; nothing queued.
  const auto refused = site.call("POST", "/v1/services/s-c1/backups", "", kAreaToken);
  CHECK(refused.status == 409);
  CHECK(refused.error_code() == "backup_not_allowed");
  const auto message = refused.json()["error"]["message"].get<std::string>();
  CHECK(message.find("suspended") != std::string::npos);
  CHECK(message.find("backups.allowed_in: [active]") != std::string::npos);
  CHECK(site.count("SELECT COUNT(*) FROM actions WHERE kind = 'backup'") == 0);

  // A confirmed payment lifts the suspension (through the panel); then the backup is allowed.
  REQUIRE(site.call("POST", "/v1/payments", payment_body(), kErpToken).status == 201);
  site.drain();
  REQUIRE(site.db().service("s-c1")->state == ServiceState::active);
  const auto asked = site.call("POST", "/v1/services/s-c1/backups", "", kAreaToken);
  REQUIRE(asked.status == 202);
  const auto key = asked.json()["id"].get<std::string>();
  CHECK(asked.json()["created"] == true);
  const auto twice = site.call("POST", "/v1/services/s-c1/backups", "", kOperatorToken);
  CHECK(twice.json()["id"] == key);
  CHECK(twice.json()["created"] == false);
  site.drain();
  CHECK(site.panel_calls().back() == "service.backup");
  CHECK(site.db().action_by_key(key)->state == ActionState::in_flight);  // the panel will call back

  // The customer cancels: ends 31 March, deactivated 1 April, purge day 30 April.
  const auto cancelled =
      site.call("POST", "/v1/services/s-c1/cancellation", R"({"reason": "moving"})", kAreaToken);
  REQUIRE(cancelled.status == 201);
  CHECK(cancelled.json()["purge_date"] == "2026-04-30");
  site.walk_on("2026-04-01");
  site.drain();
  CHECK(site.db().service("s-c1")->state == ServiceState::cancelled);
  site.walk_on("2026-04-28");  // the last-chance offer
  site.drain();
  site.walk_on("2026-04-30");
  CHECK(site.count("SELECT COUNT(*) FROM actions WHERE kind = 'purge'") == 0);
  CHECK(site.count("SELECT COUNT(*) FROM audit WHERE event = 'purge_held' AND details LIKE '%in flight%'") ==
        1);

  // The panel says the backup is done: recorded with its location, the customer told.
  const auto callback = site.signed_call(
      "/v1/hooks/panel/noc",
      fmt::format(
          R"({{"id": "{}", "status": "done", "detail": "ok", "location": "sftp://b.example/s-c1.tar"}})",
          key),
      kPanelSecret, "cb-1");
  CHECK(callback.status == 200);
  CHECK(site.db().action_by_key(key)->state == ActionState::done);
  CHECK(site.count("SELECT COUNT(*) FROM audit WHERE event = 'backup_done' AND details LIKE "
                   "'%sftp://b.example/s-c1.tar%'") == 1);
  CHECK(site.count("SELECT COUNT(*) FROM actions WHERE stage = 'backup_ready' AND payload LIKE "
                   "'%sftp://b.example/s-c1.tar%'") == 1);

  // The next walk queues the purge; the panel terminates the account.
  site.walk_on("2026-05-01");
  site.drain();
  CHECK(site.panel_calls().back() == "service.terminate");
  CHECK(site.db().service("s-c1")->state == ServiceState::purged);
  std::size_t ready = 0;
  for (const auto& m : site.sink.messages()) {
    if (m["body"].get<std::string>().find("sftp://b.example/s-c1.tar") != std::string::npos) ++ready;
  }
  CHECK(ready == 1);
}
