// Notices through the dispatcher, end to end: e-mail to a real SMTP server (aiosmtpd, with
// STARTTLS and AUTH) parsed on arrival, the reactivation notice after a payment, and SMS
// through an HTTP gateway held by quiet hours.
#include <catch2/catch.hpp>

#include <atomic>
#include <cstdlib>
#include <filesystem>

#include "integration/dispatch/outbox_fixture.hpp"
#include "notify/email_message.hpp"
#include "policy/link_token.hpp"
#include "support/fake_panel.hpp"
#include "support/smtp_server.hpp"
#include "support/has_text.hpp"

using namespace cobrador;
using namespace cobrador::testing;
using std::chrono::seconds;

namespace {

const std::string kPassword = "s3cret-Pa55";
const std::string kFrom = "Cobrança Exemplo <billing@example.com>";

// A self-signed certificate for 127.0.0.1, made fresh in the test's folder.
void make_certificate(const TempDir& dir) {
  const std::string command =
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout '" +
      (dir / "key.pem").string() + "' -out '" + (dir / "cert.pem").string() +
      "' -days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 2>/dev/null";
  REQUIRE(std::system(command.c_str()) == 0);
}

SmtpSinkOptions tls_and_auth(const TempDir& dir) {
  SmtpSinkOptions options;
  options.tls_cert = (dir / "cert.pem").string();
  options.tls_key = (dir / "key.pem").string();
  options.require_starttls = true;
  options.auth_user = "billing";
  options.auth_password = kPassword;
  return options;
}

notify::SmtpConfig smtp_config(const SmtpSink& sink, const TempDir& dir) {
  notify::SmtpConfig smtp;
  smtp.smtp_url = sink.url();
  smtp.starttls = notify::StartTls::required;
  smtp.user = "billing";
  smtp.password = kPassword;
  smtp.from = kFrom;
  smtp.ca_file = (dir / "cert.pem").string();
  smtp.timeout = seconds(10);
  return smtp;
}

nlohmann::json audit_details(store::Store& store, const std::string& customer, const std::string& event) {
  for (const auto& e : store.audit_of("customer:" + customer)) {
    if (e.event == event) return nlohmann::json::parse(e.details);
  }
  return nullptr;
}

std::filesystem::path certified_mail_folder(const TempDir& dir) {
  make_certificate(dir);
  return dir / "mail";
}

// The notice tests' world: a customer (`customers`, a CSV) with a service and an invoice
// overdue, walked to her suspension; an SMTP server over STARTTLS with AUTH, and a panel that
// says yes, both in `outbound`.
struct NoticeWorld {
  explicit NoticeWorld(const std::string& customers) {
    t.import(service::ImportKind::customers, customers);
    t.import(service::ImportKind::services, kOneService);
    t.import(service::ImportKind::invoices, kOneInvoice);
    t.walk();
    outbound.email = smtp_config(sink, t.dir);
  }

  OutboxFixture t;
  SmtpSink sink{certified_mail_folder(t.dir), tls_and_auth(t.dir)};
  FakePanel panel{[](const FakeRequest&) { return FakeResponse{200, {}, "{}", {}}; }};
  dispatch::Outbound outbound = t.webhook_outbound(panel.url() + "/hook");
};

}  // namespace

// The suspension notice reaches a real SMTP server over STARTTLS with AUTH, in Portuguese for
// a pt-BR customer, with the amount and the due date as she reads them; after she pays, the
// unsuspension is acknowledged and the reactivation notice follows.
TEST_CASE("suspension and reactivation notices arrive by e-mail in the customer's language", "[dispatch]") {
  NoticeWorld world(kOneCustomer);
  auto& t = world.t;
  auto& sink = world.sink;
  auto& outbound = world.outbound;

  {
    dispatch::Dispatcher dispatcher(t.io, t.store(), outbound, t.options());
    CHECK(dispatcher.problems().empty());
    CHECK(dispatcher.drain_until_empty().done == 2);
  }
  auto received = sink.messages();
  REQUIRE(received.size() == 1);
  const auto& mail = received[0];
  INFO(mail.dump(1));
  const auto notice = t.only(ActionKind::notify);
  CHECK(notice.state == ActionState::done);
  CHECK(mail["rcpt_tos"] == nlohmann::json::array({"ana@example.com.br"}));
  CHECK(mail["to"] == "Ana Conceição <ana@example.com.br>");
  CHECK(mail["subject"] == "Seus serviços foram suspensos");
  CHECK(mail["tls"] == true);
  CHECK(mail["auth_login"] == "billing");
  CHECK(mail["defects"].empty());
  CHECK(mail["message_id"] == notify::make_message_id(notice.key, "billing@example.com"));
  const std::string body = mail["body"];
  CHECK(has(body, "Olá, Ana Conceição,"));
  CHECK(has(body, "Como o saldo de 49.90 BRL, com vencimento em 02/03/2026, continua em aberto"));
  CHECK(has(body, "Telefone: +55 11 4000-0000"));
  CHECK(t.service_state("s1") == ServiceState::suspended);

  // The evidence: what she got and what the server said, in the audit trail.
  const auto evidence = audit_details(t.store(), "c1", "notice_sent");
  CHECK(evidence["subject"] == "Seus serviços foram suspensos");
  CHECK(has(evidence["text"].get<std::string>(), "vencimento em 02/03/2026"));
  CHECK(evidence["reply"] == "250 2.0.0 Ok: queued as cobrador-sink-1");
  CHECK(evidence["message_id"] == mail["message_id"]);
  CHECK(evidence["locale"] == "pt-BR");
  CHECK(!has(evidence.dump(), kPassword));

  t.now += std::chrono::hours(2);
  t.import(service::ImportKind::payments,
           "id,invoice_id,amount,currency,method,source,reference,status,received_on\n"
           "p1,i1,49.90,BRL,pix,bank,E2E-1,confirmed,2026-03-03\n");
  {
    dispatch::Dispatcher dispatcher(t.io, t.store(), outbound, t.options());
    CHECK(dispatcher.drain_until_empty().done == 2);  // the unsuspension, then the notice it brings
  }
  CHECK(t.service_state("s1") == ServiceState::active);
  received = sink.messages();
  REQUIRE(received.size() == 2);
  CHECK(received[1]["subject"] == "Seus serviços foram reativados");
  CHECK(has(received[1]["body"].get<std::string>(), "Os seguintes serviços foram reativados: s1"));
  CHECK(received[1]["message_id"] ==
        notify::make_message_id("c1:e1:end:notify:email:ana@example.com.br", "billing@example.com"));
}

// A server that refuses the recipient for good (550) fails the notice at once, with an alert.
TEST_CASE("an e-mail the server refuses for good fails with an alert", "[dispatch]") {
  NoticeWorld world("id,name,email,locale\nc1,Rui,reject-me@example.com,en\n");
  auto& t = world.t;
  auto& sink = world.sink;
  auto& outbound = world.outbound;
  dispatch::Dispatcher dispatcher(t.io, t.store(), outbound, t.options());
  const auto counts = dispatcher.drain_until_empty();
  CHECK(counts.failed == 1);
  const auto notice = t.only(ActionKind::notify);
  CHECK(notice.state == ActionState::failed);
  CHECK(has(notice.last_error, "550"));
  CHECK(t.alerts() == std::vector<std::string>{"action_failed action:" + notice.key});
  CHECK(sink.messages().empty());
}

// An SMS goes to the gateway with its idempotency key; one whose retry would fall in quiet
// hours (21:00-08:00 in São Paulo) waits for the morning.
TEST_CASE("an SMS retry that would land in quiet hours waits for the morning", "[dispatch]") {
  // Only SMS requests are counted: the suspension webhook goes to the same server, in no
  // fixed order, and must not take the first SMS's 503.
  std::atomic<int> sms_calls{0};
  FakePanel gateway([&](const FakeRequest& r) {
    const bool first_sms = r.path == "/sms" && ++sms_calls == 1;
    return FakeResponse{first_sms ? 503 : 200, {}, "{\"status\":\"queued\"}", {}};
  });
  OutboxFixture t(one_stage_policy("[sms]", "quiet_hours: { sms: \"21:00-08:00\" }\n"));
  t.now = *parse_instant("2026-03-03T23:59:30Z");  // 20:59:30 in São Paulo
  t.import(service::ImportKind::customers, kOneCustomer);
  t.import(service::ImportKind::services, kOneService);
  t.import(service::ImportKind::invoices, kOneInvoice);
  t.walk();
  auto outbound = t.webhook_outbound(gateway.url() + "/hook");
  outbound.sms = notify::SmsConfig{gateway.url() + "/sms", "POST", "Bearer sms-token",
                                   R"({"to": "{{phone}}", "text": "{{text}}"})"};
  auto options = t.options();
  options.sms_quiet = dispatch::SmsQuietHours{*policy::parse_quiet_window("21:00-08:00"), &t.policy().zone()};

  dispatch::Dispatcher dispatcher(t.io, t.store(), outbound, options);
  dispatcher.drain_until_empty();
  auto sms = t.only(ActionKind::notify);
  CHECK(sms.state == ActionState::pending);
  CHECK(sms.next_attempt_at == *parse_instant("2026-03-04T11:00:00Z"));  // 08:00 in São Paulo

  t.now = sms.next_attempt_at;
  CHECK(dispatcher.drain_until_empty().done == 1);
  const auto requests = gateway.requests();
  std::vector<FakeRequest> to_gateway;
  for (const auto& r : requests) {
    if (r.path == "/sms") to_gateway.push_back(r);
  }
  REQUIRE(to_gateway.size() == 2);
  CHECK(to_gateway[1].header("idempotency-key") == sms.key);
  CHECK(to_gateway[1].header("authorization") == "Bearer sms-token");
  const auto body = nlohmann::json::parse(to_gateway[1].body);
  CHECK(body["to"] == "+5511900000001");
  CHECK(has(body["text"].get<std::string>(), "Seus serviços foram suspensos"));
  const auto evidence = audit_details(t.store(), "c1", "notice_sent");
  CHECK(evidence["text"] == body["text"]);
  CHECK(evidence["reply"] == "HTTP 200: {\"status\":\"queued\"}");
}

// With links configured, the notice carries the customer's link (docs/customer-page.md): signed
// under the key for this customer and this notice, working for link_days; the audit trail keeps
// the notice's text with the link left out. Without links, the link is the support address.
TEST_CASE("a notice carries the customer's signed link, which the audit trail never keeps",
          "[dispatch][links]") {
  NoticeWorld world(kOneCustomer);
  auto& t = world.t;
  auto& sink = world.sink;
  auto& outbound = world.outbound;
  const std::string key = "the key of links.key_file";
  outbound.links =
      dispatch::LinkSigning{"https://billing.example.com", 30, [&key] { return Result<std::string>(key); }};
  {
    dispatch::Dispatcher dispatcher(t.io, t.store(), outbound, t.options());
    CHECK(dispatcher.drain_until_empty().done == 2);
  }
  const auto received = sink.messages();
  REQUIRE(received.size() == 1);
  const std::string body = received[0]["body"];
  const auto at = body.find("https://billing.example.com/c/");
  REQUIRE(at != std::string::npos);
  const auto start = at + std::string("https://billing.example.com/c/").size();
  const auto token = body.substr(start, body.find_first_of(" \r\n", start) - start);
  const auto notice = t.only(ActionKind::notify);
  const auto checked = policy::check_link(token, key, t.now);
  REQUIRE(std::holds_alternative<policy::LinkClaims>(checked));
  CHECK(std::get<policy::LinkClaims>(checked).notice_id == notice.id);
  CHECK(std::get<policy::LinkClaims>(checked).customer_id == notice.customer_id);
  CHECK(std::holds_alternative<policy::LinkRefusal>(
      policy::check_link(token, key, t.now + std::chrono::days{30})));

  const auto evidence = audit_details(t.store(), "c1", "notice_sent");
  const std::string kept = evidence["text"];
  CHECK(has(kept,
            "https://billing.example.com/c/[link of notice " + std::to_string(notice.id) + ", not kept]"));
  for (const auto& entry : t.store().audit_of("customer:c1")) CHECK_FALSE(has(entry.details, token));
}
