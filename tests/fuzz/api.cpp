// Fuzzes the HTTP API as the server runs it, without the sockets: the bytes are read as HTTP/1.1
// requests by Boost.Beast's parser (as a session reads them; several requests in a row, so that
// a PUT can make what a later GET or POST reads), turned into http::Request as the session does,
// and served by http::Api over a fresh SQLite file with the shipped policy and a pinned clock.
// (Not ":memory:": the store migrates on one connection and works on a second, which would
// see another, empty database.) Tokens and secrets are fixed (below), and a request that carries
// `x-fuzz-sign: <source or panel>` gets valid Standard Webhooks headers for its body, so that
// the signed hooks are reached past their signature check. An answer is never a 500: that is
// an exception escaping a handler (issue 19: the API answered 500 to a Latin-1 name).
#include <utility>
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http.hpp>

#include "fuzz_support.hpp"
#include "http/api.hpp"
#include "http/beast_request.hpp"
#include "policy/policy.hpp"
#include "store/backends/open_store.hpp"
#include "util/standard_webhooks.hpp"

namespace {

using namespace cobrador;
namespace bhttp = boost::beast::http;

constexpr std::size_t kMaxRequests = 8;
constexpr std::size_t kBodyLimit = 1 << 20;
const Instant kNow{std::chrono::seconds{1772712000}};  // 2026-03-05T12:00:00Z

const std::string kBankSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const std::string kPanelSecret = "whsec_cGFuZWwtY2FsbGJhY2stc2VjcmV0LWJ5dGVzLTAx";

// A fresh database file for each input, in /dev/shm when there is one: RAM, as fast as it gets.
std::string fresh_database() {
  static const std::filesystem::path folder = [] {
    const std::filesystem::path base = std::filesystem::exists("/dev/shm") ? "/dev/shm" : "/tmp";
    std::string pattern = (base / "cobrador-fuzz-api-XXXXXX").string();
    fuzz::require(mkdtemp(pattern.data()) != nullptr, "no temporary folder");
    return std::filesystem::path(pattern);
  }();
  std::filesystem::remove_all(folder);
  std::filesystem::create_directory(folder);
  return (folder / "cobrador.db").string();
}

std::shared_ptr<const policy::Policy> shipped_policy() {
  static const auto policy = [] {
    auto loaded = policy::load_policy(COBRADOR_SOURCE_DIR "/etc/policy.yaml");
    fuzz::require(loaded.ok(), "etc/policy.yaml does not load");
    return std::make_shared<const policy::Policy>(std::move(*loaded));
  }();
  return policy;
}

// The bearer tokens are "fuzz-<client>"; bank-pix confirms payments, noc is a webhook panel.
http::Credentials credentials() {
  http::Credentials credentials;
  credentials.add_client("billing", "fuzz-billing", {"billing"}, true);
  credentials.add_client("reader", "fuzz-reader", {"read"}, false);
  credentials.add_client("clientarea", "fuzz-area", {"client_area", "read"}, false);
  credentials.add_client("ops", "fuzz-operator", {"operator"}, false);
  credentials.add_bank_source("bank-pix", {{kBankSecret}, true});
  credentials.add_bank_source("noc-in", {{kBankSecret}, false});
  credentials.add_panel("noc", {{kPanelSecret}, false});
  return credentials;
}

// Replaces x-fuzz-sign with the webhook headers a sender holding the secret would send.
void sign_if_asked(http::Request& request) {
  const auto asked = std::find_if(request.headers.begin(), request.headers.end(),
                                  [](const auto& header) { return header.first == "x-fuzz-sign"; });
  if (asked == request.headers.end()) return;
  const auto& secret = asked->second == "noc" ? kPanelSecret : kBankSecret;
  request.headers.erase(asked);
  const auto id = request.header("webhook-id").empty() ? std::string("msg-fuzz")
                                                       : std::string(request.header("webhook-id"));
  auto made = webhooks::make_headers(secret, id, kNow, request.body);
  fuzz::require(made.ok(), "the fixed secret does not sign");
  std::erase_if(request.headers, [](const auto& header) { return header.first.starts_with("webhook-"); });
  request.headers.emplace_back("webhook-id", made->id);
  request.headers.emplace_back("webhook-timestamp", made->timestamp);
  request.headers.emplace_back("webhook-signature", made->signature);
}

// The next complete request at the front of `bytes`, which loses what was read; null when
// what is left is no complete request.
std::optional<http::Request> next_request(std::string_view& bytes) {
  bhttp::request_parser<bhttp::string_body> parser;
  parser.eager(true);
  parser.body_limit(kBodyLimit);
  boost::system::error_code ec;
  while (!parser.is_done() && !bytes.empty()) {
    const auto used = parser.put(boost::asio::buffer(bytes.data(), bytes.size()), ec);
    bytes.remove_prefix(used);
    if (ec || used == 0) break;
  }
  if (!parser.is_done()) return std::nullopt;
  return http::to_request(parser.release());
}

http::Response serve(http::Api& api, http::Request&& request) {
  std::promise<http::Response> answered;
  auto answer = answered.get_future();
  api.serve(std::move(request),
            [&answered](http::Response response) { answered.set_value(std::move(response)); });
  return answer.get();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  std::vector<http::Request> requests;
  while (requests.size() < kMaxRequests) {
    auto request = next_request(bytes);
    if (!request) break;
    sign_if_asked(*request);
    requests.push_back(std::move(*request));
  }
  if (requests.empty()) return 0;

  http::Api api(credentials(), store::open_store_with_upkeep(fresh_database()), nullptr, shipped_policy(),
                [] { return kNow; });
  for (auto& request : requests) {
    const auto response = serve(api, std::move(request));
    fuzz::require(response.status != 500, "the API answered 500");
  }
  api.stop();
  return 0;
}
