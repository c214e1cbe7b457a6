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

}  // namespace

Outcome interpret_webhook_response(const dispatch::HttpResponse& response,
                                   std::chrono::system_clock::time_point now) {
  if (auto failure = classify_http(response, now)) return *failure;
  const bool later = response.status == 202;
  auto outcome = make_outcome(later ? Outcome::Kind::accepted : Outcome::Kind::done,
                              "HTTP " + std::to_string(response.status));
  read_receiver_json(response.body, outcome);
  return outcome;
}

WebhookPanel::WebhookPanel(PanelConfig config, dispatch::HttpClient& http, boost::asio::io_context& io, Now now)
    : config_(std::move(config)), http_(http), io_(io), now_(std::move(now)) {}

void WebhookPanel::execute(const PanelCall& call, std::function<void(Outcome)> done) {
  std::optional<dispatch::HttpRequest> request;
  const auto prepared = guarded([&] {
    const auto body = event_json(call);
    const auto timestamp = std::chrono::floor<std::chrono::seconds>(now_());
    const auto signature = webhooks::make_headers(config_.secret, call.idempotency_key, timestamp, body);
    if (!signature) return make_outcome(Outcome::Kind::failed, "cannot sign: " + signature.error().message);
    request.emplace();
    request->method = "POST";
    request->url = config_.url;
    request->body = body;
    request->timeout = config_.timeout;
    request->verify_tls = config_.verify_tls;
    request->headers = {{"Content-Type", "application/json"},
                        {"webhook-id", signature->id},
                        {"webhook-timestamp", signature->timestamp},
                        {"webhook-signature", signature->signature}};
    return make_outcome(Outcome::Kind::done, "");
  });
  if (!request) return post_outcome(io_, std::move(done), prepared);
  start_guarded(io_, done, [&] {
    http_.perform(std::move(*request), [now = now_, done](dispatch::HttpResponse response) {
      auto outcome = guarded([&] { return interpret_webhook_response(response, now()); });
      done(std::move(outcome));
    });
  });
}

}  // namespace cobrador::hooks
