// Implements the API test fixture: config files, the server on its own thread, seeding.
#include "api_fixture.hpp"

#include <stdexcept>
#include <thread>

#include <fmt/format.h>
#include <boost/asio/io_context.hpp>

#include "config/config.hpp"
#include "support/test_database.hpp"
#include "daemon/http_server.hpp"
#include "http/server.hpp"
#include "service/billing.hpp"
#include "util/standard_webhooks.hpp"
#include "store/backends/open_store.hpp"

namespace cobrador::testing {

struct ApiFixture::Loop {
  boost::asio::io_context io;
  std::thread thread;
};

namespace {

std::string config_text(const std::string& database, const FixtureLimits& limits) {
  return fmt::format(
      R"(database: "{}"
listen: "127.0.0.1:0"
policy: policy.yaml
panels:
  noc: {{ type: webhook, url: "http://127.0.0.1:9/hook", secret_file: secrets/panel.secret }}
  whm1: {{ type: cpanel, url: "https://127.0.0.1:2087", user: root, token_file: secrets/whm1.token }}
api_clients:
  billing: {{ token_file: secrets/billing.token, scopes: [billing] }}
  erp: {{ token_file: secrets/erp.token, scopes: [billing], confirms_payments: true }}
  reader: {{ token_file: secrets/reader.token, scopes: [read] }}
  clientarea: {{ token_file: secrets/area.token, scopes: [client_area, read] }}
  ops: {{ token_file: secrets/operator.token, scopes: [operator] }}
webhook_sources:
  bank-pix: {{ secret_files: [secrets/bank-old.secret, secrets/bank-new.secret], confirms_payments: true }}
  noc-in: {{ secret_file: secrets/noc-in.secret }}
  vector: {{ secret_file: secrets/vector.secret }}
http: {{ max_connections: {}, max_connections_per_peer: {}, read_timeout: {}, idle_timeout: {},
        max_connection_age: {} }}
support: {{ phone: "+55 11 4000-0000", email: billing@example.com, url: https://example.com/billing }}
public_url: https://billing.example.com
links: {{ key_file: secrets/links.key, link_days: 30, uploads_dir: var/uploads, trusted_proxies: [127.0.0.1] }}
)",
      database, limits.max_connections,
      limits.max_connections_per_peer > 0 ? limits.max_connections_per_peer : limits.max_connections,
      limits.read_timeout, limits.idle_timeout, limits.max_connection_age);
}

void write_secrets(const TempDir& dir) {
  dir.write("secrets/billing.token", kBillingToken + "\n");
  dir.write("secrets/erp.token", kErpToken + "\n");
  dir.write("secrets/reader.token", kReaderToken + "\n");
  dir.write("secrets/area.token", kAreaToken);
  dir.write("secrets/operator.token", kOperatorToken + "\n");
  dir.write("secrets/bank-old.secret", kBankOldSecret + "\n");
  dir.write("secrets/bank-new.secret", kBankNewSecret + "\n");
  dir.write("secrets/noc-in.secret", kNocSecret + "\n");
  dir.write("secrets/panel.secret", kPanelSecret + "\n");
  dir.write("secrets/whm1.token", "WHMTOKEN\n");
  dir.write("secrets/vector.secret", kVectorSecret + "\n");
  dir.write("secrets/links.key", kLinksKey + "\n");
}

}  // namespace

ApiFixture::ApiFixture(FixtureLimits limits, const std::string& policy_text)
    : now_(to_unix(*parse_instant("2026-03-05T12:00:00Z"))) {
  write_secrets(dir_);
  dir_.write("policy.yaml", policy_text.empty()
                                ? read_file(std::string(COBRADOR_SOURCE_DIR) + "/etc/policy.yaml")
                                : policy_text);
  std::filesystem::create_directories(dir_ / "var");
  database_ = fresh_database(dir_ / "var");
  const auto path = dir_.write("cobrador.yaml", config_text(database_, limits)).string();
  auto config = config::load_config(path);
  if (!config) throw std::runtime_error(config.error().message);
  auto policy = policy::load_policy(config->policy);
  if (!policy) throw std::runtime_error(policy.error().message);
  policy_ = std::make_shared<const policy::Policy>(std::move(*policy));
  auto server = daemon::create_http_server(*config, policy_, [this] { return now(); });
  if (!server) throw std::runtime_error(server.error().message);
  db_ = store::open_store(config->database);
  loop_ = std::make_unique<Loop>();
  server_ = std::move(*server);
  if (auto started = server_->start(loop_->io); !started) throw std::runtime_error(started.error().message);
  loop_->thread = std::thread([this] { loop_->io.run(); });
}

ApiFixture::~ApiFixture() {
  server_->stop();
  loop_->io.stop();
  loop_->thread.join();
  server_.reset();
}

unsigned short ApiFixture::port() const { return server_->port(); }

std::string ApiFixture::url(const std::string& path) const {
  return fmt::format("http://127.0.0.1:{}{}", port(), path);
}

Reply ApiFixture::call(const std::string& method, const std::string& path, const std::string& body,
                       const std::string& token, HeaderList headers) {
  if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + token);
  return http_request(method, url(path), body, headers);
}

Reply ApiFixture::signed_call(const std::string& path, const std::string& body, const std::string& secret,
                              const std::string& webhook_id, std::optional<Instant> sent) {
  const auto signed_headers = webhooks::make_headers(secret, webhook_id, sent.value_or(now()), body);
  if (!signed_headers) throw std::runtime_error(signed_headers.error().message);
  return http_request("POST", url(path), body,
                      {{"webhook-id", signed_headers->id},
                       {"webhook-timestamp", signed_headers->timestamp},
                       {"webhook-signature", signed_headers->signature}});
}

std::int64_t ApiFixture::count(const std::string& sql, const std::vector<std::string>& params) {
  const auto rows = query(database_, sql, params);
  if (rows.size() != 1 || rows[0].size() != 1) throw std::runtime_error("count: not one value: " + sql);
  return std::stoll(rows[0][0]);
}

void ApiFixture::seed_customer(const std::string& id, const std::string& panel) {
  const service::Origin origin{"billing", "seed"};
  store::in_transaction(*db_, [&] {
    Customer c;
    c.ext_id = id;
    c.name = "Customer " + id;
    c.emails = {id + "@example.com"};
    c.customer_since = *parse_date("2024-01-10");
    if (!service::put_customer(*db_, c, now(), origin)) throw std::runtime_error("seed customer");
    Service s;
    s.ext_id = "s-" + id;
    s.customer_ext_id = id;
    s.kind = ServiceKind::hosting;
    s.panel = panel;
    s.account = id;
    if (!service::put_service(*db_, s, now(), origin)) throw std::runtime_error("seed service");
  });
}

void ApiFixture::seed_invoice(const std::string& id, const std::string& customer, const std::string& amount,
                              Date due, const std::string& currency) {
  store::in_transaction(*db_, [&] {
    Invoice inv;
    inv.ext_id = id;
    inv.customer_ext_id = customer;
    inv.amount = *parse_money(amount, *Currency::parse(currency));
    inv.issued_on = due - date::days{10};
    inv.due_on = due;
    if (!service::put_invoice(*db_, inv, now(), {"billing", "seed"}))
      throw std::runtime_error("seed invoice");
  });
}

}  // namespace cobrador::testing
