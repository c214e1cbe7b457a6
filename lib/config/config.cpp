// Implements reading cobrador.yaml through MapReader, so unknown keys and bad values are
// refused with their line and column, like policy.yaml.
#include "config/config.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include <fmt/format.h>

#include "config/yaml_reader.hpp"
#include "config/database_uri.hpp"
#include "util/text_file.hpp"

namespace cobrador::config {

namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kPanelTypes{"webhook", "cpanel", "directadmin", "plesk",
                                           "exec",    "whmcs",  "fossbilling"};
const std::vector<std::string> kScopes{"billing", "client_area", "operator", "read"};
// The kinds of service of SPEC §3. domain/entities.hpp names them for everything above;
// config sits beside domain, not above it, so the words are repeated here.
const std::vector<std::string> kSourceTypes{"whmcs", "fossbilling"};
const std::vector<std::string> kServiceKinds{"hosting", "vps", "internet", "phone", "other"};

std::string absolute_from(const std::string& base_file, const std::string& path) {
  if (path.empty() || fs::path(path).is_absolute()) return path;
  return (fs::absolute(fs::path(base_file)).parent_path() / path).lexically_normal().string();
}

std::optional<std::chrono::seconds> parse_duration(const std::string& text) {
  std::size_t used = 0;
  long long n = 0;
  try {
    n = std::stoll(text, &used);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  const std::string unit = text.substr(used);
  if (n <= 0) return std::nullopt;
  // Up to ten years: longer is a typing error, and the product (and its milliseconds, for the
  // timers) must stay inside int64.
  constexpr long long kLongest = 10LL * 366 * 24 * 3600;
  long long seconds = 0;
  if (unit == "s" || unit.empty()) {
    seconds = n;
  } else if (unit == "ms") {
    seconds = std::max(1LL, n / 1000);
  } else if (unit == "m" && n <= kLongest / 60) {
    seconds = n * 60;
  } else if (unit == "h" && n <= kLongest / 3600) {
    seconds = n * 3600;
  } else {
    return std::nullopt;
  }
  if (seconds > kLongest) return std::nullopt;
  return std::chrono::seconds{seconds};
}

// Leaves `into` as it is when the key is absent.
void read_duration(MapReader& map, const std::string& key, std::chrono::seconds& into) {
  const auto text = map.get_string(key);
  if (!text) return;
  if (const auto parsed = parse_duration(*text))
    into = *parsed;
  else
    map.error(key, fmt::format("'{}' is not a duration like 30s, 5m or 6h, of at most ten years", *text));
}

// panels.<name>.kinds: [hosting, vps]; left out, the panel serves every kind.
void read_panel_kinds(MapReader& map, PanelConfig& panel) {
  const auto kinds = map.get_string_list("kinds");
  if (!kinds) return;
  if (kinds->empty())
    map.error("kinds", "list at least one kind of service, or leave kinds out for every kind");
  for (const auto& kind : *kinds) {
    if (std::find(kServiceKinds.begin(), kServiceKinds.end(), kind) == kServiceKinds.end()) {
      map.error("kinds",
                fmt::format("'{}' is not a kind of service ({})", kind, fmt::join(kServiceKinds, ", ")));
    } else {
      panel.kinds.insert(kind);
    }
  }
}

void read_panel(const std::string& name, MapReader& map, Config& config) {
  PanelConfig panel;
  panel.type = map.get_choice("type", kPanelTypes, true).value_or("");
  panel.url = map.get_string("url", panel.type != "exec" && !panel.type.empty()).value_or("");
  panel.user = map.get_string("user", panel.type == "cpanel" || panel.type == "directadmin").value_or("");
  const char* secret_key = panel.type == "cpanel"        ? "token_file"
                           : panel.type == "directadmin" ? "login_key_file"
                           : panel.type == "plesk"       ? "key_file"
                           : panel.type == "webhook"     ? "secret_file"
                           : panel.type == "whmcs"       ? "secret_file"
                           : panel.type == "fossbilling" ? "key_file"
                                                         : nullptr;
  if (secret_key) panel.secret_file = map.get_string(secret_key, true).value_or("");
  if (panel.type == "whmcs") panel.identifier_file = map.get_string("identifier_file", true).value_or("");
  panel.command = map.get_string("command", panel.type == "exec").value_or("");
  read_duration(map, "timeout", panel.timeout);
  read_duration(map, "backup_poll", panel.backup_poll);
  read_duration(map, "backup_max_wait", panel.backup_max_wait);
  panel.verify_tls = map.get_bool("verify_tls").value_or(true);
  panel.concurrency = static_cast<int>(map.get_int("concurrency", 1, 1024).value_or(4));
  read_panel_kinds(map, panel);
  config.panels[name] = panel;
}

// A panel a source names must be one of `panels:`.
void check_panel_named(MapReader& map, const std::string& key, const std::string& panel,
                       const Config& config) {
  if (!panel.empty() && !config.panels.count(panel))
    map.error(key, fmt::format("'{}' is not a panel of this file's panels:", panel));
}

void check_service_kind(MapReader& map, const std::string& key, const std::string& kind) {
  if (std::find(kServiceKinds.begin(), kServiceKinds.end(), kind) == kServiceKinds.end())
    map.error(key, fmt::format("'{}' is not a kind of service ({})", kind, fmt::join(kServiceKinds, ", ")));
}

// sources.<name>: a billing system the book is read from (docs/connectors.md).
void read_source(const std::string& name, MapReader& map, Config& config) {
  SourceConfig source;
  source.type = map.get_choice("type", kSourceTypes, true).value_or("");
  source.url = map.get_string("url", true).value_or("");
  if (!source.url.empty() && source.url.rfind("http://", 0) != 0 && source.url.rfind("https://", 0) != 0)
    map.error("url", fmt::format("'{}' is not an http:// or https:// address", source.url));
  while (!source.url.empty() && source.url.back() == '/') source.url.pop_back();
  if (source.type == "whmcs") {
    source.identifier_file = map.get_string("identifier_file", true).value_or("");
    source.secret_file = map.get_string("secret_file", true).value_or("");
  } else if (source.type == "fossbilling") {
    source.secret_file = map.get_string("key_file", true).value_or("");
  }
  read_duration(map, "interval", source.interval);
  if (source.interval < std::chrono::minutes(1)) map.error("interval", "must be at least 1m");
  read_duration(map, "timeout", source.timeout);
  source.page_size = static_cast<int>(map.get_int("page_size", 1, 500).value_or(source.page_size));
  source.verify_tls = map.get_bool("verify_tls").value_or(true);
  source.default_kind = map.get_string("default_kind").value_or(source.default_kind);
  check_service_kind(map, "default_kind", source.default_kind);
  source.default_panel = map.get_string("default_panel").value_or("");
  check_panel_named(map, "default_panel", source.default_panel, config);
  source.locale = map.get_string("locale").value_or(source.locale);
  source.payments_to = map.get_string("payments_to").value_or("");
  if (!source.payments_to.empty()) {
    const auto panel = config.panels.find(source.payments_to);
    if (panel == config.panels.end() || panel->second.type != source.type)
      map.error(
          "payments_to",
          fmt::format("'{}' is not a {} panel of this file's panels:", source.payments_to, source.type));
  }
  // WHMCS's AddInvoicePayment needs a payment method; "banktransfer" is the one WHMCS ships.
  source.payment_gateway =
      map.get_string("payment_gateway").value_or(source.type == "whmcs" ? "banktransfer" : "");
  read_entries(map, "products", [&](const std::string& product, MapReader& entry) {
    ProductMapping mapping;
    mapping.kind = entry.get_string("kind").value_or("");
    if (!mapping.kind.empty()) check_service_kind(entry, "kind", mapping.kind);
    mapping.panel = entry.get_string("panel").value_or("");
    check_panel_named(entry, "panel", mapping.panel, config);
    mapping.account = entry.get_choice("account", {"service_id", "username"}).value_or("service_id");
    source.products[product] = mapping;
  });
  config.sources[name] = source;
}

void read_sources(MapReader& top, Config& config) {
  read_entries(top, "sources",
               [&config](const std::string& name, MapReader& map) { read_source(name, map, config); });
}

void read_panels(MapReader& top, Config& config) {
  read_entries(top, "panels",
               [&config](const std::string& name, MapReader& map) { read_panel(name, map, config); });
}

// Reads channels.<name> into `out` when the file has it: `read_fields` reads what is the
// channel's own, the concurrency every channel has is read here.
template <class Channel, class ReadFields>
void read_channel(MapReader& channels, const std::string& name, std::optional<Channel>& out,
                  ReadFields read_fields) {
  if (!channels.has(name)) return;
  MapReader map(channels.node(name), "channels." + name, channels.problems());
  Channel channel;
  read_fields(map, channel);
  channel.concurrency = static_cast<int>(map.get_int("concurrency", 1, 1024).value_or(4));
  map.finish();
  out = channel;
}

void read_channels(MapReader& top, Config& config) {
  MapReader channels(top.node("channels"), "channels", top.problems());
  read_channel(channels, "email", config.email, [&top](MapReader& map, EmailChannel& email) {
    email.smtp_url = map.get_string("smtp_url", true).value_or("");
    email.starttls = map.get_choice("starttls", {"required", "opportunistic", "none"}).value_or("required");
    email.user = map.get_string("user").value_or("");
    email.password_file = map.get_string("password_file").value_or("");
    email.from = map.get_string("from", true).value_or("");
    email.ca_file = absolute_from(top.problems().file(), map.get_string("ca_file").value_or(""));
  });
  read_channel(channels, "sms", config.sms, [](MapReader& map, SmsChannel& sms) {
    sms.url = map.get_string("url", true).value_or("");
    sms.method = map.get_choice("method", {"POST", "GET", "PUT"}).value_or("POST");
    sms.auth_header_file = map.get_string("auth_header_file").value_or("");
    sms.body = map.get_string("body", true).value_or("");
  });
  channels.finish();
}

void read_dispatch(MapReader& top, Config& config) {
  MapReader map(top.node("dispatch"), "dispatch", top.problems());
  auto& settings = config.dispatch;
  settings.max_attempts =
      static_cast<int>(map.get_int("max_attempts", 1, 100).value_or(settings.max_attempts));
  read_duration(map, "retry_initial", settings.retry_initial);
  read_duration(map, "retry_max", settings.retry_max);
  read_duration(map, "lease", settings.lease);
  if (settings.retry_max < settings.retry_initial)
    map.error("retry_max", "must not be shorter than retry_initial");
  map.finish();
}

void read_clients(MapReader& top, Config& config) {
  read_entries(top, "api_clients", [&config](const std::string& name, MapReader& map) {
    ApiClient client;
    client.token_file = map.get_string("token_file", true).value_or("");
    client.scopes = map.get_string_list("scopes").value_or(std::vector<std::string>{});
    client.confirms_payments = map.get_bool("confirms_payments").value_or(false);
    for (const auto& scope : client.scopes) {
      if (std::find(kScopes.begin(), kScopes.end(), scope) == kScopes.end()) {
        map.error("scopes", fmt::format("'{}' is not a scope ({})", scope, fmt::join(kScopes, ", ")));
      }
    }
    config.api_clients[name] = client;
  });
  read_entries(top, "webhook_sources", [&config](const std::string& name, MapReader& map) {
    WebhookSource source;
    if (const auto one = map.get_string("secret_file")) source.secret_files.push_back(*one);
    for (const auto& file : map.get_string_list("secret_files").value_or(std::vector<std::string>{})) {
      source.secret_files.push_back(file);
    }
    if (source.secret_files.empty()) map.error("secret_file", "a secret_file (or secret_files) is required");
    source.confirms_payments = map.get_bool("confirms_payments").value_or(false);
    config.webhook_sources[name] = source;
  });
}

std::optional<std::chrono::milliseconds> parse_millis(const std::string& text) {
  if (text.size() > 2 && text.substr(text.size() - 2) == "ms") {
    std::size_t used = 0;
    try {
      const long long n = std::stoll(text, &used);
      if (n > 0 && used == text.size() - 2) return std::chrono::milliseconds{n};
    } catch (const std::exception&) {
    }
    return std::nullopt;
  }
  const auto seconds = parse_duration(text);
  if (!seconds) return std::nullopt;
  return std::chrono::duration_cast<std::chrono::milliseconds>(*seconds);
}

void read_http(MapReader& top, Config& config) {
  MapReader map(top.node("http"), "http", top.problems());
  config.http.max_connections =
      static_cast<int>(map.get_int("max_connections", 1, 1'000'000).value_or(config.http.max_connections));
  // A quarter by default: one address (a client, or a proxy) cannot hold every slot busy.
  config.http.max_connections_per_peer =
      static_cast<int>(map.get_int("max_connections_per_peer", 1, 1'000'000)
                           .value_or(std::max(1, config.http.max_connections / 4)));
  for (auto [key, slot] : {std::pair{"read_timeout", &config.http.read_timeout},
                           std::pair{"idle_timeout", &config.http.idle_timeout},
                           std::pair{"max_connection_age", &config.http.max_connection_age}}) {
    const auto text = map.get_string(key);
    if (!text) continue;
    if (const auto parsed = parse_millis(*text))
      *slot = *parsed;
    else
      map.error(key, fmt::format("'{}' is not a duration like 10s or 500ms", *text));
  }
  map.finish();
}

// The files and the database the daemon works with, and whom customers are told to call.
void read_files(MapReader& top, Config& config) {
  const auto& label = top.problems().file();
  config.file = label;
  config.database = top.get_string("database", true).value_or("");
  if (config::is_postgresql_uri(config.database)) {
    if (config::uri_has_password(config.database)) {
      top.error("database", "the URI holds a password; put it in a file named by database_password_file");
    }
  } else {
    config.database = absolute_from(label, config.database);
  }
  config.database_password_file = top.get_string("database_password_file").value_or("");
  config.listen = top.get_string("listen").value_or(config.listen);
  config.policy = absolute_from(label, top.get_string("policy").value_or("policy.yaml"));
  config.templates = absolute_from(label, top.get_string("templates").value_or("templates"));
  MapReader support(top.node("support"), "support", top.problems());
  config.support = {support.get_string("phone").value_or(""), support.get_string("email").value_or(""),
                    support.get_string("url").value_or("")};
  support.finish();
}

// The customer's page: `public_url:` and `links:` (docs/customer-page.md).
void read_links(MapReader& top, Config& config) {
  if (const auto url = top.get_string("public_url")) {
    std::string text = *url;
    while (text.ends_with('/')) text.pop_back();
    if (!(text.starts_with("https://") || text.starts_with("http://")) || text.size() < 9 ||
        text.find_first_of(" \t\r\n?#\"<>") != std::string::npos)
      top.error("public_url",
                fmt::format("'{}' is not an http(s) address like https://billing.example.com", *url));
    config.public_url = text;
  }
  if (!top.has("links")) return;
  MapReader map(top.node("links"), "links", top.problems());
  Links links;
  links.key_file = map.get_string("key_file", true).value_or("");
  links.link_days = static_cast<int>(map.get_int("link_days", 1, 366).value_or(links.link_days));
  links.uploads_dir = absolute_from(top.problems().file(), map.get_string("uploads_dir").value_or("uploads"));
  links.max_upload_bytes = static_cast<std::size_t>(
      map.get_int("max_upload_kb", 1, 900).value_or(static_cast<long long>(links.max_upload_bytes / 1024)) *
      1024);
  links.trusted_proxies = map.get_string_list("trusted_proxies").value_or(std::vector<std::string>{});
  if (config.public_url.empty())
    map.error("key_file", "links needs public_url: the address the links point to");
  map.finish();
  config.links = links;
}

}  // namespace

Result<Config> parse_config(const std::string& text, const std::string& label) {
  return read_document<Config>(text, label, Config{},
                               {read_files, read_panels, read_channels, read_dispatch, read_clients,
                                read_http, read_sources, read_links});
}

Result<Config> load_config(const std::string& path) { return parse_text_file(path, parse_config); }

std::string config_path(const std::string& from_option) {
  if (!from_option.empty()) return from_option;
  if (const char* env = std::getenv("COBRADOR_CONFIG"); env && *env) return env;
  return "/etc/cobrador/cobrador.yaml";
}

std::string Config::secret_path(const std::string& name) const {
  if (fs::path(name).is_absolute()) return name;
  if (const char* creds = std::getenv("CREDENTIALS_DIRECTORY"); creds && *creds) {
    // systemd names a credential loaded from a folder <id>_<file>; the shipped unit loads
    // /etc/cobrador/secrets with the id "secrets".
    const auto plain = fs::path(creds) / name;
    const auto from_folder = fs::path(creds) / ("secrets_" + name);
    return (fs::exists(plain) || !fs::exists(from_folder) ? plain : from_folder).string();
  }
  return absolute_from(file, name);
}

bool shared_with_others(fs::perms permissions) {
  return (permissions & (fs::perms::group_all | fs::perms::others_all)) != fs::perms::none;
}

Result<std::string> read_secret(const Config& config, const std::string& name) {
  const auto path = config.secret_path(name);
  // A secret that others may read is no secret any more: refused, as ssh refuses such a key,
  // so that the operator hears of it at start instead of never.
  std::error_code ec;
  const auto permissions = fs::status(path, ec).permissions();
  if (!ec && shared_with_others(permissions)) {
    return make_error(fmt::format("{}: secret file is open to group or others (mode {:04o}); chmod 600 it",
                                  path, static_cast<unsigned>(permissions & fs::perms::mask)));
  }
  auto text = read_text_file(path);
  if (!text) return make_error(fmt::format("{}: secret file cannot be read", path));
  std::string secret = std::move(*text);
  while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) secret.pop_back();
  if (secret.empty()) return make_error(fmt::format("{}: secret file is empty", path));
  return secret;
}

}  // namespace cobrador::config
