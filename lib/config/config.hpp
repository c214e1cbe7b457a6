// cobrador.yaml (SPEC §2): where the database is, what to listen on, the policy and templates,
// the panels, channels, API clients and webhook sources. Secrets are never inline: only the
// paths of files that hold them, read by whoever needs them (see secret_path()).
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.hpp"

namespace cobrador::config {

struct Support {
  std::string phone;
  std::string email;
  std::string url;
};

struct PanelConfig {
  std::string type;  // webhook, cpanel, directadmin, plesk, exec
  std::string url;
  std::string user;
  std::string secret_file;      // token_file, login_key_file, key_file or secret_file, by type
  std::string identifier_file;  // whmcs: the API credential's identifier (secret_file: its secret)
  std::string command;          // exec
  std::chrono::seconds timeout{30};
  bool verify_tls = true;
  int concurrency = 4;  // calls to this panel at once
  // Background backups (cpanel, directadmin): checked this often, given up on after this long.
  std::chrono::seconds backup_poll{10};
  std::chrono::seconds backup_max_wait{std::chrono::hours(6)};
  // The kinds of service (SPEC §3) this panel serves, as `kinds:` declares them; empty when
  // the panel does not say, which counts as every kind. --check-config uses it to find a
  // stage that would ask a panel for a suspension mode its adapter cannot do.
  std::set<std::string> kinds;

  bool serves(std::string_view kind) const { return kinds.empty() || kinds.count(std::string(kind)) > 0; }
};

// `sources.<name>.products.<product id>`: what a billing system's product is here.
struct ProductMapping {
  std::string kind;     // a kind of service (SPEC §3); empty: the source's default_kind
  std::string panel;    // the panel that acts on its services; empty: the source's default_panel
  std::string account;  // service_id (the default) or username: what the panel is given
};

// `sources:` — a billing system cobrador reads the book from (docs/connectors.md).
struct SourceConfig {
  std::string type;             // whmcs or fossbilling
  std::string url;              // the system's root, without a trailing slash
  std::string identifier_file;  // whmcs: the API credential's identifier
  std::string secret_file;      // whmcs: its secret (secret_file); fossbilling: the API key (key_file)
  std::chrono::seconds interval{std::chrono::minutes(15)};
  std::chrono::seconds timeout{60};
  int page_size = 250;
  bool verify_tls = true;
  std::map<std::string, ProductMapping> products;  // by the system's product id
  std::string default_kind = "other";              // a product not listed
  std::string default_panel;                       // the panel of a product that names none
  std::string locale = "en";                       // a client whose language says nothing
  std::string payments_to;      // the whmcs or fossbilling panel bank money is written back through
  std::string payment_gateway;  // WHMCS: the payment method's system name; FOSSBilling: gateway id
};

struct EmailChannel {
  std::string smtp_url;
  std::string starttls = "required";  // required, opportunistic, none
  std::string user;
  std::string password_file;
  std::string from;
  std::string ca_file;  // a private CA's bundle for the server's certificate (absolute)
  int concurrency = 4;  // messages being sent at once
};

struct SmsChannel {
  std::string url;
  std::string method = "POST";
  std::string auth_header_file;
  std::string body;
  int concurrency = 4;  // requests to the gateway at once
};

// `dispatch:` — how the outbox is delivered (docs/dispatch.md).
struct DispatchSettings {
  int max_attempts = 8;                    // then the action is dead and the operator alerted
  std::chrono::seconds retry_initial{60};  // the first retry's delay; doubled each time
  std::chrono::seconds retry_max{std::chrono::hours(1)};
  std::chrono::seconds lease{300};  // how long a claimed action is held by one dispatcher
};

struct ApiClient {
  std::string token_file;
  std::vector<std::string> scopes;
  bool confirms_payments = false;  // may record payments as confirmed (docs/api.md)
};

struct WebhookSource {
  std::vector<std::string> secret_files;  // several for rotation
  bool confirms_payments = false;
};

// The HTTP server's limits (docs/api.md): how many connections at once, and from one address,
// how long a request may take to arrive, how long a keep-alive connection may sit idle, and
// how long any connection may stay open.
struct HttpLimits {
  int max_connections = 512;
  int max_connections_per_peer = 128;  // when not given: a quarter of max_connections, at least 1
  std::chrono::milliseconds read_timeout{10'000};
  std::chrono::milliseconds idle_timeout{60'000};
  std::chrono::milliseconds max_connection_age{600'000};
};

// `links:` — the customer's page (docs/customer-page.md): the key that signs every notice's
// link, how long a link works, and where the receipts customers send are kept.
struct Links {
  std::string key_file;                       // a secret file like the others; replacing it ends every link
  int link_days = 30;                         // a notice's link works this many days after it was sent
  std::string uploads_dir;                    // absolute; outside the database, never served back
  std::size_t max_upload_bytes = 768 * 1024;  // one receipt (under the HTTP body limit of 1 MiB)
  // The proxies in front of the daemon (their addresses): from them, the customer's address is
  // the last one of X-Forwarded-For, for the per-address limit and the acknowledgements.
  std::vector<std::string> trusted_proxies;
};

struct Config {
  std::string file;                    // where it was read from
  std::string database;                // a SQLite file's path, or a postgresql:// URI
  std::string database_password_file;  // PostgreSQL's password, a secret file like the others
  std::string listen = "127.0.0.1:8417";
  std::string policy;
  std::string templates;
  Support support;
  std::map<std::string, PanelConfig> panels;
  std::map<std::string, SourceConfig> sources;
  std::optional<EmailChannel> email;
  std::optional<SmsChannel> sms;
  DispatchSettings dispatch;
  std::map<std::string, ApiClient> api_clients;
  std::map<std::string, WebhookSource> webhook_sources;
  HttpLimits http;
  // The daemon's address as customers reach it (https://billing.example.com), without a
  // trailing slash; "" when the customer's page is not offered.
  std::string public_url;
  std::optional<Links> links;  // the customer's page is served only with links (and public_url)

  // A secret file's path: relative names come from $CREDENTIALS_DIRECTORY when systemd set
  // it, else from the config file's folder.
  std::string secret_path(const std::string& name) const;
};

// Reads and validates; relative database, policy and templates paths are made absolute
// against the file's folder. Every problem as "file:line:col: message", one a line.
Result<Config> parse_config(const std::string& text, const std::string& label);
Result<Config> load_config(const std::string& path);

// The config path for a program: -c FILE, else $COBRADOR_CONFIG, else /etc/cobrador/cobrador.yaml.
std::string config_path(const std::string& from_option);

// The whole content of a secret file, without its trailing newline; the error never holds it.
// A file that group or others may read, write or run (mode & 077) is refused with its path.
Result<std::string> read_secret(const Config& config, const std::string& name);

// Whether a file with these permissions is open to anyone but its owner.
bool shared_with_others(std::filesystem::perms permissions);

}  // namespace cobrador::config
