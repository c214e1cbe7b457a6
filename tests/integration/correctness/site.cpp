// Implements the §10 test installation: config files, the in-process API, and the reading
// back of panel calls, mails and audit rows.
#include "site.hpp"

#include <atomic>
#include <fstream>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include "../http/http_test_client.hpp"
#include "config/config.hpp"
#include "daemon/http_server.hpp"
#include "http/server.hpp"
#include "notify/email_message.hpp"
#include "policy/policy.hpp"
#include "support/test_database.hpp"
#include "util/standard_webhooks.hpp"
#include "store/backends/open_store.hpp"

namespace cobrador::testing {

namespace {

using nlohmann::json;

// Each adapter gets the answer its panel gives when it agrees.
FakeResponse agreeing_panel(const FakeRequest& r) {
  if (r.path.rfind("/json-api/", 0) == 0) {
    return {200,
            {{"Content-Type", "application/json"}},
            R"({"metadata":{"command":")" + r.path.substr(10) + R"(","reason":"OK","result":1,"version":1}})",
            {}};
  }
  if (r.path.rfind("/CMD_API", 0) == 0)
    return {200, {{"Content-Type", "text/plain"}}, "error=0&text=Success", {}};
  if (r.path == "/enterprise/control/agent.php") {
    return {200,
            {{"Content-Type", "text/xml"}},
            R"(<?xml version="1.0" encoding="UTF-8"?><packet version="1.6.9.1"><webspace><set><result>)"
            "<status>ok</status><id>7</id></result></set></webspace></packet>",
            {}};
  }
  return {200, {{"Content-Type", "application/json"}}, "{}", {}};
}

std::string config_text(const std::string& database, const std::string& panel_url,
                        const std::string& smtp_url, const std::string& exec_hook) {
  return fmt::format(R"(database: "{3}"
listen: "127.0.0.1:0"
policy: policy.yaml
templates: {0}/etc/templates
support: {{ phone: "+55 11 4000-0000", email: billing@example.com, url: https://example.com/billing }}
panels:
  noc: {{ type: webhook, url: "{1}/hook", secret_file: secrets/noc.secret }}
  whm1: {{ type: cpanel, url: "{1}", user: root, token_file: secrets/whm1.token }}
  da1: {{ type: directadmin, url: "{1}", user: admin, login_key_file: secrets/da1.key }}
  plesk1: {{ type: plesk, url: "{1}", key_file: secrets/plesk1.key }}
  router: {{ type: exec, command: {4}, timeout: 30s }}
channels:
  email: {{ smtp_url: "{2}", starttls: none, from: "Billing <billing@example.com>" }}
api_clients:
  billing: {{ token_file: secrets/billing.token, scopes: [billing] }}
  ops: {{ token_file: secrets/ops.token, scopes: [operator] }}
  reader: {{ token_file: secrets/read.token, scopes: [read] }}
webhook_sources:
  bank-pix: {{ secret_file: secrets/bank-pix.secret, confirms_payments: true }}
dispatch: {{ lease: 60s }}
)",
                     COBRADOR_SOURCE_DIR, panel_url, smtp_url, database, exec_hook);
}

std::string day_of(Instant at) { return format_date(Date{std::chrono::floor<date::days>(at)}); }

std::string csv(const std::string& header, const std::vector<std::string>& rows) {
  std::string out = header + "\n";
  for (const auto& row : rows) out += row + "\n";
  return out;
}

}  // namespace

Instant sao_paulo(const std::string& day, int hour, int minute) {
  const auto at = parse_instant(fmt::format("{}T{:02}:{:02}:00Z", day, hour, minute));
  if (!at) throw std::invalid_argument(day);
  return *at + std::chrono::hours{3};
}

struct Site::Api {
  std::atomic<std::int64_t> now{0};
  boost::asio::io_context io;
  std::thread thread;
  std::unique_ptr<http::Server> server;
};

Site::Site(const std::string& policy) : panel_(agreeing_panel), sink_(mail_dir_ / "mail") {
  dir.write("policy.yaml", policy);
  dir.write("secrets/noc.secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n");
  dir.write("secrets/whm1.token", "WHMTOKEN\n");
  dir.write("secrets/da1.key", "LOGINKEY9\n");
  dir.write("secrets/plesk1.key", "PLESK-SECRET-KEY\n");
  dir.write("secrets/billing.token", kBillingBearer + "\n");
  dir.write("secrets/ops.token", kOperatorBearer + "\n");
  dir.write("secrets/read.token", kReadBearer + "\n");
  dir.write("secrets/bank-pix.secret", kBankPixSecret + "\n");
  std::filesystem::create_directories(dir / "var");
  database_ = fresh_database(dir / "var");
  // hooks/examples/log-call, told where to log: cobrador gives its programs no variables of
  // its own (docs/panels.md), so the hook's wrapper sets the one log-call reads.
  const auto hook =
      dir.write("router-hook",
                fmt::format("#!/bin/sh\nCOBRADOR_HOOK_LOG='{}' exec '{}/hooks/examples/log-call' \"$@\"\n",
                            (dir / "var" / "exec-calls.log").string(), COBRADOR_SOURCE_DIR));
  std::filesystem::permissions(hook, std::filesystem::perms::owner_all);
  exec_hook_ = hook.string();
  config_ =
      dir.write("cobrador.yaml", config_text(database_, panel_.url(), sink_.url(), exec_hook_)).string();
  db_ = store::open_store(database_);
}

Site::~Site() {
  if (!api_) return;
  api_->server->stop();
  api_->io.stop();
  api_->thread.join();
}

void Site::set_smtp_url(const std::string& url) {
  config_ = dir.write("cobrador.yaml",
                      config_text(database_, panel_.url(), url.empty() ? sink_.url() : url, exec_hook_))
                .string();
}

store::Store& Site::db() { return *db_; }

ProcessResult Site::ctl(std::vector<std::string> args, Instant now) const {
  args.insert(args.begin(), {COBRADORCTL_PATH, "-c", config_});
  return run_process(args, {{"COBRADOR_NOW", format_instant(now)}});
}

json Site::ctl_json(std::vector<std::string> args, Instant now) const {
  args.insert(args.begin(), "--json");
  const auto result = ctl(args, now);
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  return json::parse(result.out);
}

json Site::walk(const std::string& day) const { return ctl_json({"walk", "--date", day}, sao_paulo(day)); }

json Site::dispatch(Instant now) const { return ctl_json({"dispatch", "--until-empty"}, now); }

void Site::import(const std::string& kind, const std::string& text, Instant now) const {
  static int n = 0;
  const auto file = dir.write(fmt::format("{}-{}.csv", kind, ++n), text).string();
  const auto result = ctl({"import", kind, file}, now);
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
}

void Site::start_api() {
  if (api_) return;
  auto config = config::load_config(config_);
  if (!config) throw std::runtime_error(config.error().message);
  auto policy = policy::load_policy(config->policy);
  if (!policy) throw std::runtime_error(policy.error().message);
  api_ = std::make_unique<Api>();
  auto shared = std::make_shared<const policy::Policy>(std::move(*policy));
  auto server = daemon::create_http_server(*config, shared, [this] { return from_unix(api_->now.load()); });
  if (!server) throw std::runtime_error(server.error().message);
  api_->server = std::move(*server);
  if (auto started = api_->server->start(api_->io); !started)
    throw std::runtime_error(started.error().message);
  api_->thread = std::thread([this] { api_->io.run(); });
}

Site::Reply Site::call(const std::string& method, const std::string& path, const json& body,
                       const std::string& token, Instant now) {
  start_api();
  api_->now = to_unix(now);
  const auto reply = http_request(method, fmt::format("http://127.0.0.1:{}{}", api_->server->port(), path),
                                  body.dump(), {{"Authorization", "Bearer " + token}});
  return {static_cast<int>(reply.status), json::parse(reply.body, nullptr, false)};
}

std::string Site::url(const std::string& path, Instant now) {
  start_api();
  api_->now = to_unix(now);
  return fmt::format("http://127.0.0.1:{}{}", api_->server->port(), path);
}

Site::Reply Site::signed_call(const std::string& path, const json& body, const std::string& webhook_id,
                              Instant now) {
  start_api();
  api_->now = to_unix(now);
  const auto text = body.dump();
  const auto headers = webhooks::make_headers(kBankPixSecret, webhook_id, now, text);
  REQUIRE(headers);
  const auto reply =
      http_request("POST", fmt::format("http://127.0.0.1:{}{}", api_->server->port(), path), text,
                   {{"webhook-id", headers->id},
                    {"webhook-timestamp", headers->timestamp},
                    {"webhook-signature", headers->signature}});
  return {static_cast<int>(reply.status), json::parse(reply.body, nullptr, false)};
}

std::vector<PanelCall> Site::panel_calls() const {
  std::vector<PanelCall> calls;
  for (const auto& r : panel_.requests()) {
    if (r.path == "/hook") {
      const auto body = json::parse(r.body);
      const auto stamp = from_unix(std::stoll(r.header("webhook-timestamp")));
      // An unsuspension carries no reason (docs/panels.md): null.
      const auto reason = body["reason"].is_string() ? body["reason"].get<std::string>() : std::string();
      calls.push_back(
          {"webhook", body["type"], body["service"]["id"], reason, r.header("webhook-id"), day_of(stamp)});
    } else if (r.path.rfind("/json-api/", 0) == 0) {
      calls.push_back({"cpanel", r.path, r.query_value("user"), "", "", ""});
    } else if (r.path.rfind("/CMD_API", 0) == 0) {
      calls.push_back({"directadmin", r.path, "", "", "", ""});
    } else {
      calls.push_back({"plesk", r.path, "", "", "", ""});
    }
  }
  // The exec hook logs "<time> KIND account=A service=S key=K <json>" per call.
  std::ifstream log(dir / "var" / "exec-calls.log");
  for (std::string line; std::getline(log, line);) {
    const auto after = [&](const std::string& label) {
      const auto at = line.find(label);
      return at == std::string::npos ? std::string()
                                     : line.substr(at + label.size(), line.find(' ', at) - at - label.size());
    };
    const auto first_space = line.find(' ');
    const auto kind = line.substr(first_space + 1, line.find(' ', first_space + 1) - first_space - 1);
    calls.push_back({"exec", kind, after("service="), "", after("key="), line.substr(0, 10)});
  }
  return calls;
}

std::vector<Mail> Site::mails() {
  std::vector<Mail> out;
  const auto actions = db_->actions({});
  for (const auto& message : sink_.messages()) {
    Mail mail{message["rcpt_tos"][0], "", "", ""};
    const auto sent = parse_instant(date::format("%FT%TZ", [&] {
      std::istringstream in(message["date"].get<std::string>());
      date::sys_seconds at;
      in >> date::parse("%a, %d %b %Y %T %z", at);
      return at;
    }()));
    if (sent) mail.date = day_of(*sent);
    for (const auto& a : actions) {
      if (notify::make_message_id(a.key, "billing@example.com") == message["message_id"]) {
        mail.key = a.key;
        mail.stage = a.stage;
      }
    }
    out.push_back(mail);
  }
  return out;
}

std::vector<AuditEntry> Site::audit(const std::string& customer) {
  return db_->audit_of("customer:" + customer);
}

std::vector<json> Site::audit_details(const std::string& customer, const std::string& event) {
  std::vector<json> out;
  for (const auto& row : audit(customer)) {
    if (row.event != event) continue;
    auto details = json::parse(row.details);
    details["_actor"] = row.actor;
    details["_at"] = format_instant(row.at);
    details["_id"] = row.id;
    out.push_back(details);
  }
  return out;
}

ServiceState Site::service_state(const std::string& service) { return db_->service(service)->state; }

std::string Site::suspend_reason(const std::string& service) { return db_->service(service)->suspend_reason; }

std::optional<Action> Site::action(const std::string& key) { return db_->action_by_key(key); }

std::string customers_csv(const std::vector<std::string>& rows) {
  return csv("id,name,email,phone,locale,customer_since,tags,exempt_until", rows);
}
std::string services_csv(const std::vector<std::string>& rows) {
  return csv("id,customer_id,kind,panel,account", rows);
}
std::string invoices_csv(const std::vector<std::string>& rows) {
  return csv("id,customer_id,services,amount,currency,issued_on,due_on,status", rows);
}
std::string payments_csv(const std::vector<std::string>& rows) {
  return csv("id,invoice_id,amount,currency,method,source,reference,status,received_on", rows);
}

}  // namespace cobrador::testing
