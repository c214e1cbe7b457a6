#include <catch2/catch.hpp>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "notify/email_message.hpp"
#include "notify/locale.hpp"
#include "notify/smtp.hpp"
#include "notify/template_library.hpp"
#include "scratch_dir.hpp"
#include "support/smtp_server.hpp"
#include "support/has_text.hpp"

using namespace cobrador;
using namespace cobrador::notify;
using cobrador::testing::has;
using cobrador::testing::ScratchDir;
using cobrador::testing::SmtpSink;
using cobrador::testing::SmtpSinkOptions;
namespace fs = std::filesystem;

namespace {

const std::string from_setting = "Cobrança Exemplo <billing@example.com>";
const std::string password = "pa55-Word_9";

struct Customer {
  std::string name;
  std::string email;
  std::string locale;
};

// A notice as the dispatcher would make it: render in the customer's locale, then build.
std::string notice_email(const Customer& customer, std::string_view name, const std::string& key) {
  static const auto library = TemplateLibrary::load(fs::path(COBRADOR_SOURCE_DIR) / "etc" / "templates");
  REQUIRE(library);
  const Date due = date::year{2026} / date::March / 2;
  const Date next = date::year{2026} / date::March / 7;
  Variables values{{"customer_name", customer.name},
                   {"amount_due", "49.90 BRL"},
                   {"due_date", format_local_date(due, customer.locale)},
                   {"days_overdue", "4"},
                   {"invoices", "2026-0042 · 49.90 BRL · " + format_local_date(due, customer.locale)},
                   {"services", "ana.example.com.br"},
                   {"next_step_date", format_local_date(next, customer.locale)},
                   {"support_phone", "+55 11 4000-0000"},
                   {"support_email", "billing@example.com"},
                   {"support_url", "https://example.com/billing"},
                   {"customer_link", "https://billing.example.com/c/1.2.3.sig"}};
  const auto notice = library->render(customer.locale, name, values);
  REQUIRE(notice);
  EmailMessage message;
  message.from = *parse_mailbox(from_setting);
  message.to = {customer.name, customer.email};
  message.subject = notice->subject;
  message.text = notice->text;
  message.date = date::sys_days{date::year{2026} / date::March / 6} + std::chrono::hours{9};
  message.idempotency_key = key;
  message.language = notice->locale;
  auto built = build_email(message);
  REQUIRE(built);
  return *built;
}

SmtpConfig plain_config(const SmtpSink& sink) {
  SmtpConfig config;
  config.smtp_url = sink.url();
  config.starttls = StartTls::none;
  config.from = from_setting;
  config.timeout = std::chrono::seconds{10};
  return config;
}

// A self-signed certificate for 127.0.0.1, made fresh in the test's folder.
void make_certificate(const ScratchDir& dir) {
  const std::string command =
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes"
      " -keyout '" +
      (dir / "key.pem").string() + "' -out '" + (dir / "cert.pem").string() +
      "' -days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 2>/dev/null";
  REQUIRE(std::system(command.c_str()) == 0);
}

SmtpSinkOptions tls_auth_options(const ScratchDir& dir) {
  SmtpSinkOptions options;
  options.tls_cert = (dir / "cert.pem").string();
  options.tls_key = (dir / "key.pem").string();
  options.require_starttls = true;
  options.auth_user = "billing";
  options.auth_password = password;
  return options;
}

SmtpConfig tls_config(const SmtpSink& sink, const ScratchDir& dir) {
  SmtpConfig config = plain_config(sink);
  config.starttls = StartTls::required;
  config.user = "billing";
  config.password = password;
  config.ca_file = (dir / "cert.pem").string();
  return config;
}

}  // namespace

// A pt-BR and an es customer each get their notice, in their language, through a real server.
TEST_CASE("pt-BR and es notices arrive through a real SMTP server in the customer's language", "[notify]") {
  ScratchDir dir;
  SmtpSink sink(dir / "mail");
  const Customer ana{"Ana Conceição", "ana@example.com.br", "pt-BR"};
  const Customer jose{"José Núñez", "jose@example.com.ar", "es-AR"};
  const auto to_ana = send_blocking(plain_config(sink), ana.email,
                                    notice_email(ana, "suspension_warning", "c-1:1:warning:notify:email"));
  const auto to_jose = send_blocking(plain_config(sink), jose.email,
                                     notice_email(jose, "payment_reminder", "c-2:1:reminder:notify:email"));
  REQUIRE(to_ana);
  REQUIRE(to_jose);
  CHECK(to_ana->delivered);
  CHECK(to_ana->code == 250);
  CHECK(to_ana->command == "DATA");
  CHECK(to_ana->reply == "250 2.0.0 Ok: queued as cobrador-sink-1");
  CHECK(to_jose->reply == "250 2.0.0 Ok: queued as cobrador-sink-2");

  const auto received = sink.messages();
  REQUIRE(received.size() == 2);
  const auto& pt = received[0];
  INFO(pt.dump(1));
  CHECK(pt["mail_from"] == "billing@example.com");
  CHECK(pt["rcpt_tos"] == nlohmann::json::array({"ana@example.com.br"}));
  CHECK(pt["subject"] == "Ação necessária: seus serviços serão suspensos em 07/03/2026");
  CHECK(pt["from"] == "Cobrança Exemplo <billing@example.com>");
  CHECK(pt["to"] == "Ana Conceição <ana@example.com.br>");
  CHECK(pt["message_id"] == make_message_id("c-1:1:warning:notify:email", "billing@example.com"));
  CHECK(pt["content_type"] == "text/plain");
  CHECK(pt["charset"] == "utf-8");
  CHECK(pt["raw_is_ascii"] == true);
  CHECK(pt["defects"].empty());
  const std::string pt_body = pt["body"];
  CHECK(has(pt_body, "Olá, Ana Conceição,"));
  CHECK(has(pt_body, "saldo em atraso de 49.90 BRL, vencido desde 02/03/2026"));
  CHECK(has(pt_body, "+55 11 4000-0000"));

  const auto& es = received[1];
  CHECK(es["rcpt_tos"] == nlohmann::json::array({"jose@example.com.ar"}));
  CHECK(es["subject"] == "Recordatorio de pago: 49.90 BRL con vencimiento el 02/03/2026");
  CHECK(es["to"] == "José Núñez <jose@example.com.ar>");
  CHECK(es["message_id"] == make_message_id("c-2:1:reminder:notify:email", "billing@example.com"));
  const std::string es_body = es["body"];
  CHECK(has(es_body, "Hola, José Núñez:"));
  CHECK(has(es_body, "el pago de 49.90 BRL, con vencimiento el 02/03/2026"));
  CHECK(has(es_body, "antes del 07/03/2026"));
}

// A retry of the same action arrives as the same message, so mail clients fold the copies.
TEST_CASE("a retried notice arrives with the same Message-ID", "[notify]") {
  ScratchDir dir;
  SmtpSink sink(dir / "mail");
  const Customer ana{"Ana", "ana@example.com.br", "pt-BR"};
  const std::string message = notice_email(ana, "payment_reminder", "c-1:1:reminder:notify:email");
  REQUIRE(send_blocking(plain_config(sink), ana.email, message)->delivered);
  REQUIRE(send_blocking(plain_config(sink), ana.email, message)->delivered);
  const auto received = sink.messages();
  REQUIRE(received.size() == 2);
  CHECK(received[0]["message_id"] == received[1]["message_id"]);
  CHECK(received[0]["raw"] == received[1]["raw"]);
}

// STARTTLS upgrade, certificate checked against the test's own CA file, then AUTH.
TEST_CASE("a notice goes over STARTTLS with AUTH to a server with a self-signed certificate", "[notify]") {
  ScratchDir dir;
  make_certificate(dir);
  SmtpSink sink(dir / "mail", tls_auth_options(dir));
  const Customer ana{"Ana", "ana@example.com.br", "pt-BR"};
  const auto sent = send_blocking(tls_config(sink, dir), ana.email,
                                  notice_email(ana, "suspended", "c-1:1:suspend:notify:email"));
  REQUIRE(sent);
  INFO(sent->error << " / " << sink.log());
  CHECK(sent->delivered);
  CHECK(sent->code == 250);
  const auto received = sink.messages();
  REQUIRE(received.size() == 1);
  CHECK(received[0]["tls"] == true);
  CHECK(received[0]["auth_login"] == "billing");
  CHECK(received[0]["subject"] == "Seus serviços foram suspensos");

  // With verification off (this test only), no CA file is needed.
  SmtpConfig unverified = tls_config(sink, dir);
  unverified.ca_file.clear();
  unverified.verify_tls = false;
  CHECK(send_blocking(unverified, ana.email, notice_email(ana, "suspended", "k2"))->delivered);
  CHECK(sink.messages().size() == 2);
}

// An unknown certificate stops the send before any credential or message goes out.
TEST_CASE("a server certificate that does not verify stops the send", "[notify]") {
  ScratchDir dir;
  make_certificate(dir);
  SmtpSink sink(dir / "mail", tls_auth_options(dir));
  SmtpConfig config = tls_config(sink, dir);
  config.ca_file = (dir / "no-such-ca.pem").string();
  const Customer ana{"Ana", "ana@example.com.br", "pt-BR"};
  const auto sent = send_blocking(config, ana.email, notice_email(ana, "suspended", "k"));
  REQUIRE(sent);
  CHECK_FALSE(sent->delivered);
  CHECK_FALSE(sent->permanent);
  CHECK_FALSE(sent->error.empty());
  CHECK(sink.messages().empty());
}

// A wrong password is a permanent 535 refusal at AUTH, and the password is in no message.
TEST_CASE("a refused password is reported without the password", "[notify]") {
  ScratchDir dir;
  make_certificate(dir);
  SmtpSink sink(dir / "mail", tls_auth_options(dir));
  SmtpConfig config = tls_config(sink, dir);
  config.password = "wrong-Secret-77";
  const Customer ana{"Ana", "ana@example.com.br", "pt-BR"};
  const auto sent = send_blocking(config, ana.email, notice_email(ana, "suspended", "k"));
  REQUIRE(sent);
  CHECK_FALSE(sent->delivered);
  CHECK(sent->code == 535);
  CHECK(sent->command == "AUTH");
  CHECK(sent->permanent);
  for (const std::string& text : {sent->error, sent->reply, sink.log()}) {
    CHECK_FALSE(has(text, "wrong-Secret-77"));
  }
  CHECK(sink.messages().empty());
}

// starttls: required never falls back to clear text when the server offers no STARTTLS.
TEST_CASE("starttls required refuses a server without STARTTLS", "[notify]") {
  ScratchDir dir;
  SmtpSink sink(dir / "mail");
  SmtpConfig config = plain_config(sink);
  config.starttls = StartTls::required;
  const Customer ana{"Ana", "ana@example.com.br", "pt-BR"};
  const auto sent = send_blocking(config, ana.email, notice_email(ana, "suspended", "k"));
  REQUIRE(sent);
  CHECK_FALSE(sent->delivered);
  CHECK(sent->command == "EHLO");
  CHECK(sink.messages().empty());
}

// A recipient the server rejects is a permanent failure with the server's own words.
TEST_CASE("a rejected recipient is a permanent failure with the server's reply", "[notify]") {
  ScratchDir dir;
  SmtpSink sink(dir / "mail");
  const Customer gone{"Old", "rejected.user@example.com", "en"};
  const auto sent = send_blocking(plain_config(sink), gone.email, notice_email(gone, "suspended", "k"));
  REQUIRE(sent);
  CHECK_FALSE(sent->delivered);
  CHECK(sent->permanent);
  CHECK(sent->code == 550);
  CHECK(sent->command == "RCPT");
  CHECK(sent->reply == "550 5.1.1 <rejected.user@example.com>: Recipient address rejected");
  CHECK(sink.messages().empty());
}

// Nobody listening is a temporary failure: the dispatcher should retry.
TEST_CASE("a server that does not answer is a retryable failure", "[notify]") {
  const int s = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  REQUIRE(bind(s, reinterpret_cast<sockaddr*>(&address), length) == 0);
  REQUIRE(getsockname(s, reinterpret_cast<sockaddr*>(&address), &length) == 0);
  close(s);  // a port that was free a moment ago, with nobody listening on it now
  SmtpConfig config;
  config.smtp_url = "smtp://127.0.0.1:" + std::to_string(ntohs(address.sin_port));
  config.starttls = StartTls::none;
  config.from = from_setting;
  const auto sent = send_blocking(config, "ana@example.com", "Subject: x\r\n\r\nx\r\n");
  REQUIRE(sent);
  CHECK_FALSE(sent->delivered);
  CHECK(sent->code == 0);
  CHECK_FALSE(sent->permanent);
  CHECK(has(sent->error, "connect"));
}
