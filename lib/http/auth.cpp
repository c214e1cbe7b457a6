// Implements token digests, bearer checks and webhook signature checks.
#include "http/auth.hpp"

#include <algorithm>
#include <cctype>
#include <optional>

#include <fmt/format.h>

#include "http/json_error.hpp"
#include "util/crypto.hpp"
#include "util/standard_webhooks.hpp"

namespace cobrador::http {

namespace {

Response unauthorized(std::string_view code, std::string_view message) {
  auto response = error_response(401, code, message);
  response.headers.emplace_back("WWW-Authenticate", "Bearer");
  return response;
}

Result<SigningKeys> read_keys(const config::Config& config, const std::vector<std::string>& files,
                              bool confirms, const std::string& owner) {
  SigningKeys keys;
  keys.confirms_payments = confirms;
  for (const auto& file : files) {
    auto secret = config::read_secret(config, file);
    if (!secret) return make_error(fmt::format("{}: {}", owner, secret.error().message));
    if (auto key = webhooks::decode_secret(*secret); !key) {
      return make_error(fmt::format("{}: {}: {}", owner, config.secret_path(file), key.error().message));
    }
    keys.secrets.push_back(std::move(*secret));
  }
  return keys;
}

// The words of the signature check, turned into a stable code for programs.
std::string_view signature_code(const std::string& message) {
  if (message.rfind("missing ", 0) == 0) return "missing_signature";
  if (message.rfind("webhook-timestamp", 0) == 0) return "stale_timestamp";
  return "bad_signature";
}

webhooks::SignedHeaders signed_headers(const Request& request) {
  return {std::string(request.header("webhook-id")), std::string(request.header("webhook-timestamp")),
          std::string(request.header("webhook-signature"))};
}

}  // namespace

std::string Caller::actor() const {
  switch (kind) {
    case Kind::bank_source:
      return "bank:" + name;
    case Kind::panel:
      return "panel:" + name;
    case Kind::client:
      break;
  }
  if (has_scope("operator")) return "operator:" + name;
  if (has_scope("billing")) return "billing";
  if (has_scope("client_area")) return "customer";
  return "api:" + name;
}

bool Caller::has_scope(std::string_view scope) const {
  return std::find(scopes.begin(), scopes.end(), scope) != scopes.end();
}

Result<Credentials> Credentials::load(const config::Config& config) {
  Credentials credentials;
  for (const auto& [name, client] : config.api_clients) {
    auto token = config::read_secret(config, client.token_file);
    if (!token) return make_error(fmt::format("api_clients.{}: {}", name, token.error().message));
    credentials.add_client(name, *token, client.scopes, client.confirms_payments);
  }
  for (const auto& [name, source] : config.webhook_sources) {
    auto keys = read_keys(config, source.secret_files, source.confirms_payments, "webhook_sources." + name);
    if (!keys) return keys.error();
    credentials.sources_[name] = std::move(*keys);
  }
  for (const auto& [name, panel] : config.panels) {
    if (panel.type != "webhook") continue;  // only webhook panels sign their callbacks
    auto keys = read_keys(config, {panel.secret_file}, false, "panels." + name);
    if (!keys) return keys.error();
    credentials.panels_[name] = std::move(*keys);
  }
  return credentials;
}

void Credentials::add_client(const std::string& name, std::string_view token, std::vector<std::string> scopes,
                             bool confirms_payments) {
  Caller caller{Caller::Kind::client, name, std::move(scopes), confirms_payments, {}};
  clients_.push_back({crypto::sha256_hex(token), std::move(caller)});
}

const Caller* Credentials::client_for_token(std::string_view token) const {
  const auto digest = crypto::sha256_hex(token);
  const Caller* found = nullptr;
  for (const auto& client : clients_) {
    if (crypto::equal_constant_time(digest, client.token_digest)) found = &client.caller;
  }
  return found;
}

const SigningKeys* Credentials::bank_source(std::string_view name) const {
  const auto it = sources_.find(std::string(name));
  return it == sources_.end() ? nullptr : &it->second;
}

const SigningKeys* Credentials::panel(std::string_view name) const {
  const auto it = panels_.find(std::string(name));
  return it == panels_.end() ? nullptr : &it->second;
}

Authorized authenticate_bearer(const Credentials& credentials, const Request& request) {
  const auto header = request.header("authorization");
  if (header.empty()) return unauthorized("missing_token", "an Authorization: Bearer token is required");
  constexpr std::string_view scheme = "Bearer ";
  if (header.size() <= scheme.size() ||
      !std::equal(scheme.begin(), scheme.end(), header.begin(), [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
      })) {
    return unauthorized("invalid_token", "the Authorization header is not a Bearer token");
  }
  const auto* caller = credentials.client_for_token(header.substr(scheme.size()));
  if (!caller) return unauthorized("invalid_token", "the token is not valid");
  return *caller;
}

Authorized authorize_bearer(const Credentials& credentials, const Request& request,
                            const std::vector<std::string_view>& scopes) {
  auto authenticated = authenticate_bearer(credentials, request);
  const auto* caller = std::get_if<Caller>(&authenticated);
  if (!caller) return authenticated;
  for (const auto scope : scopes) {
    if (caller->has_scope(scope)) return *caller;
  }
  return error_response(403, "insufficient_scope",
                        fmt::format("this route needs the {} scope", fmt::join(scopes, " or ")));
}

Authorized verify_signature(const SigningKeys& keys, Caller caller, const Request& request, Instant now) {
  const auto headers = signed_headers(request);
  const auto verified = webhooks::verify(headers, request.body, keys.secrets, now);
  if (!verified) {
    const auto& message = verified.error().message;
    return unauthorized(signature_code(message), message);
  }
  caller.webhook_id = headers.id;
  caller.confirms_payments = keys.confirms_payments;
  return caller;
}

Authorized authorize_payment(const Credentials& credentials, const Request& request, Instant now) {
  if (!request.header("authorization").empty() || request.header("webhook-signature").empty()) {
    return authorize_bearer(credentials, request, {"billing"});
  }
  std::optional<Response> refusal;
  for (const auto& [name, keys] : credentials.bank_sources()) {
    auto outcome =
        verify_signature(keys, Caller{Caller::Kind::bank_source, name, {}, false, {}}, request, now);
    if (std::holds_alternative<Caller>(outcome)) return outcome;
    refusal = std::get<Response>(std::move(outcome));
  }
  if (!refusal) return unauthorized("bad_signature", "no bank source is configured to sign payments");
  return *refusal;
}

}  // namespace cobrador::http
