// Implements hooks/webhook_panel.hpp.
#include "hooks/webhook_panel.hpp"

#include <nlohmann/json.hpp>

#include "hooks/adapter_support.hpp"
#include "hooks/event_payload.hpp"
#include "hooks/http_outcome.hpp"
#include "util/standard_webhooks.hpp"

namespace cobrador::hooks {

namespace {

// The receiver's own words, when its 2xx body is a JSON object that has them.
void read_receiver_json(const std::string& body, Outcome& outcome) {
  const auto doc = nlohmann::json::parse(body, nullptr, false);
  if (!doc.is_object()) return;
  if (const auto it = doc.find("location"); it != doc.end() && it->is_string()) outcome.location = *it;
  if (const auto it = doc.find("detail"); it != doc.end() && it->is_string()) outcome.detail = *it;
}

// The POST for one call, signed at `timestamp`.
net::HttpRequest signed_request(const PanelConfig& config, const webhooks::Signer& signer,
                                const PanelCall& call, std::chrono::sys_seconds timestamp) {
  const auto body = event_json(call);
  const auto signature = signer.headers(call.idempotency_key, timestamp, body);
  net::HttpRequest request;
  request.method = "POST";
  request.url = config.url;
  request.body = body;
  request.timeout = config.timeout;
  request.verify_tls = config.verify_tls;
  request.headers = {{"Content-Type", "application/json"},
                     {"webhook-id", signature.id},
                     {"webhook-timestamp", signature.timestamp},
                     {"webhook-signature", signature.signature}};
  return request;
}

}  // namespace

Outcome interpret_webhook_response(const net::HttpResponse& response,
                                   std::chrono::system_clock::time_point now) {
  if (auto failure = classify_http(response, now)) return *failure;
  const bool later = response.status == 202;
  auto outcome = make_outcome(later ? Outcome::Kind::accepted : Outcome::Kind::done,
                              "HTTP " + std::to_string(response.status));
  read_receiver_json(response.body, outcome);
  return outcome;
}

WebhookPanel::WebhookPanel(PanelConfig config, net::HttpClient& http, boost::asio::io_context& io, Now now)
    : config_(std::move(config)),
      signer_(webhooks::Signer::make(config_.secret)),
      http_(http),
      io_(io),
      now_(std::move(now)) {}

void WebhookPanel::execute(const PanelCall& call, std::function<void(Outcome)> done) {
  start_guarded(io_, done, [&] {
    if (!signer_) {
      return post_outcome(io_, done,
                          make_outcome(Outcome::Kind::failed, "cannot sign: " + signer_.error().message));
    }
    auto request = signed_request(config_, *signer_, call, std::chrono::floor<std::chrono::seconds>(now_()));
    http_.perform(std::move(request), [now = now_, done](net::HttpResponse response) {
      auto outcome = guarded([&] { return interpret_webhook_response(response, now()); });
      done(std::move(outcome));
    });
  });
}

}  // namespace cobrador::hooks
