// Who is calling. API clients present `Authorization: Bearer <token>`; tokens are read from
// their files once, kept only as SHA-256 digests, and compared in constant time against every
// client. Webhook senders (bank sources, panels) sign with Standard Webhooks; each has one or
// more secrets (rotation). Nothing here logs or echoes a token or a secret.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "config/config.hpp"
#include "domain/date.hpp"
#include "http/message.hpp"
#include "util/result.hpp"

namespace cobrador::http {

struct Caller {
  enum class Kind { client, bank_source, panel };
  Kind kind = Kind::client;
  std::string name;                 // the api_clients, webhook_sources or panels key
  std::vector<std::string> scopes;  // clients only
  bool confirms_payments = false;   // may record a payment as confirmed (docs/api.md)
  std::string webhook_id;           // signed calls: the delivery's webhook-id

  // The audit trail's actor: billing, operator:<client>, customer, bank:<source>, panel:<name>.
  std::string actor() const;
  bool has_scope(std::string_view scope) const;
};

// The secrets of one signing sender, in the `whsec_<base64>` form.
struct SigningKeys {
  std::vector<std::string> secrets;
  bool confirms_payments = false;
};

class Credentials {
 public:
  // Reads every token and secret file named by the config; an unreadable or empty file, or a
  // webhook secret that is not `whsec_<base64>`, is an error naming the file, never its content.
  static Result<Credentials> load(const config::Config& config);

  // The client whose token this is, or null. Every client's digest is compared, so the time
  // taken says nothing about which one (or how much of it) matched.
  const Caller* client_for_token(std::string_view token) const;
  const SigningKeys* bank_source(std::string_view name) const;
  const SigningKeys* panel(std::string_view name) const;
  const std::map<std::string, SigningKeys>& bank_sources() const { return sources_; }

  // For tests and tools that build credentials without files.
  void add_client(const std::string& name, std::string_view token, std::vector<std::string> scopes,
                  bool confirms_payments);
  void add_bank_source(const std::string& name, SigningKeys keys) { sources_[name] = std::move(keys); }
  void add_panel(const std::string& name, SigningKeys keys) { panels_[name] = std::move(keys); }

 private:
  struct Client {
    std::string token_digest;  // SHA-256 hex of the token
    Caller caller;
  };
  std::vector<Client> clients_;
  std::map<std::string, SigningKeys> sources_;
  std::map<std::string, SigningKeys> panels_;
};

// Either the caller, or the answer that refuses the request (401 or 403 with a JSON error).
using Authorized = std::variant<Caller, Response>;

// A bearer token of any configured client, whatever its scopes.
Authorized authenticate_bearer(const Credentials& credentials, const Request& request);

// A bearer token holding at least one of `scopes`.
Authorized authorize_bearer(const Credentials& credentials, const Request& request,
                            const std::vector<std::string_view>& scopes);

// A Standard Webhooks signature by `keys`, within the replay window around `now`.
Authorized verify_signature(const SigningKeys& keys, Caller caller, const Request& request, Instant now);

// POST /v1/payments: a bearer token with the billing scope, or a signature by one of the bank
// sources (which source is found by whose secret verifies the signature).
Authorized authorize_payment(const Credentials& credentials, const Request& request, Instant now);

}  // namespace cobrador::http
