// A real cobrador HTTP server on 127.0.0.1 (a free port) over a real database (a SQLite file,
// or a PostgreSQL database when the run tests that store: support/test_database.hpp), with a
// config read from YAML: API clients with token files, webhook sources with secret files
// (bank-pix with two, for rotation), and webhook panels. Its clock is pinned and movable.
// The test reads and seeds the same database through a second connection, as cobradorctl
// would.
#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "domain/date.hpp"
#include "http_test_client.hpp"
#include "policy/policy.hpp"
#include "store/store.hpp"
#include "support/temp_dir.hpp"

namespace cobrador::http {
class Server;
}

namespace cobrador::testing {

// Tokens of the configured clients.
inline const std::string kBillingToken = "billing-token-0123456789abcdef";    // [billing]
inline const std::string kErpToken = "erp-token-0123456789abcdef";            // [billing], confirms payments
inline const std::string kReaderToken = "reader-token-0123456789abcdef";      // [read]
inline const std::string kAreaToken = "area-token-0123456789abcdef";          // [client_area, read]
inline const std::string kOperatorToken = "operator-token-0123456789abcdef";  // [operator]

// Secrets: bank-pix signs with either (rotation) and confirms payments; noc-in does not
// confirm; the noc panel signs its callbacks with kPanelSecret.
inline const std::string kBankOldSecret = "whsec_b2xkLWJhbmstc2VjcmV0LWJ5dGVzLTAxMjM0NTY3";
inline const std::string kBankNewSecret = "whsec_bmV3LWJhbmstc2VjcmV0LWJ5dGVzLTAxMjM0NTY3";
inline const std::string kNocSecret = "whsec_bm9jLWluYm91bmQtc2VjcmV0LWJ5dGVzLTAxMjM0";
inline const std::string kPanelSecret = "whsec_cGFuZWwtY2FsbGJhY2stc2VjcmV0LWJ5dGVzLTAx";
// The Standard Webhooks specification's known-answer secret, for the source "vector".
inline const std::string kVectorSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

// The key that signs the customers' links (links.key_file, docs/customer-page.md).
inline const std::string kLinksKey = "links-key-0123456789abcdef0123456789abcdef";

struct FixtureLimits {
  int max_connections = 64;
  std::string read_timeout = "500ms";
  std::string idle_timeout = "1s";
  // 0: as many as max_connections, since every test client comes from 127.0.0.1.
  int max_connections_per_peer = 0;
  std::string max_connection_age = "10m";
};

class ApiFixture {
 public:
  // `policy_text` replaces etc/policy.yaml when given.
  explicit ApiFixture(FixtureLimits limits = {}, const std::string& policy_text = "");
  ~ApiFixture();

  std::string url(const std::string& path) const;
  std::string config_path() const { return (dir_ / "cobrador.yaml").string(); }
  unsigned short port() const;
  http::Server& server() { return *server_; }

  // One request; `token` adds Authorization: Bearer.
  Reply call(const std::string& method, const std::string& path, const std::string& body = "",
             const std::string& token = "", HeaderList headers = {});
  // One request signed with Standard Webhooks headers by `secret`, stamped `sent` (default:
  // the pinned now).
  Reply signed_call(const std::string& path, const std::string& body, const std::string& secret,
                    const std::string& webhook_id, std::optional<Instant> sent = std::nullopt);

  Instant now() const { return from_unix(now_.load()); }
  void set_now(Instant at) { now_ = to_unix(at); }

  // The test's own connection to the server's database.
  store::Store& db() { return *db_; }
  // The server's database as `database:` names it, for testing::query and second connections.
  const std::string& database() const { return database_; }
  // The fixture's folder (var/uploads keeps the customers' receipts).
  const std::filesystem::path& dir() const { return dir_.path(); }
  const policy::Policy& policy() const { return *policy_; }
  // How many rows `sql` (a SELECT COUNT(*)..., $1 parameters) counts.
  std::int64_t count(const std::string& sql, const std::vector<std::string>& params = {});

  // Seeds through the service layer, as an import would: a customer with one hosting service
  // on panel `panel`, and an invoice due on `due`.
  void seed_customer(const std::string& id, const std::string& panel = "noc");
  void seed_invoice(const std::string& id, const std::string& customer, const std::string& amount, Date due,
                    const std::string& currency = "BRL");

 private:
  TempDir dir_;
  std::atomic<std::int64_t> now_;
  std::shared_ptr<const policy::Policy> policy_;
  std::string database_;
  std::unique_ptr<store::Store> db_;
  struct Loop;  // the io_context and the thread that runs it
  std::unique_ptr<Loop> loop_;
  std::unique_ptr<http::Server> server_;
};

}  // namespace cobrador::testing
