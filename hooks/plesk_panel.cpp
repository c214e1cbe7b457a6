// Implements hooks/plesk_panel.hpp.
#include "hooks/plesk_panel.hpp"

#include "hooks/adapter_support.hpp"
#include "hooks/http_outcome.hpp"
#include "hooks/plesk_api.hpp"
#include "hooks/suspend_modes.hpp"

namespace cobrador::hooks {

Outcome interpret_plesk_response(const PanelCall& call, const net::HttpResponse& response,
                                 std::chrono::system_clock::time_point now) {
  if (auto failure = classify_http(response, now)) return *failure;
  const auto reply = plesk::parse_reply(response.body);
  const std::string action(to_string(call.kind));
  if (!reply) {
    return make_outcome(Outcome::Kind::failed, "Plesk " + action + ": " + reply.error().message + " (" +
                                                   body_excerpt(response.body) + ")");
  }
  if (reply->ok) return make_outcome(Outcome::Kind::done, "Plesk " + action + ": ok");
  // A retried delete whose first attempt went through finds nothing left to delete.
  if (call.kind == PanelCall::Kind::terminate && reply->errcode == plesk::errcode_not_found) {
    return make_outcome(Outcome::Kind::done, "Plesk terminate: the subscription was already gone");
  }
  return make_outcome(Outcome::Kind::failed, "Plesk " + action + " refused: error " +
                                                 std::to_string(reply->errcode) + ": " + reply->errtext);
}

PleskPanel::PleskPanel(PanelConfig config, net::HttpClient& http, boost::asio::io_context& io, Now now)
    : config_(std::move(config)), http_(http), io_(io), now_(std::move(now)) {}

void PleskPanel::execute(const PanelCall& call, std::function<void(Outcome)> done) {
  start_guarded(io_, done, [&] {
    if (auto refused = refuse_unsupported_mode(call, "plesk")) return post_outcome(io_, done, *refused);
    const auto packet = plesk::request_for(call);
    if (!packet) return post_outcome(io_, done, make_outcome(Outcome::Kind::failed, packet.error().message));
    net::HttpRequest request;
    request.method = "POST";
    request.url = without_trailing_slash(config_.url) + std::string(plesk::agent_path);
    request.body = *packet;
    request.headers = {{"Content-Type", "text/xml"}, {"HTTP_PRETTY_PRINT", "TRUE"}, {"KEY", config_.secret}};
    request.timeout = config_.timeout;
    request.verify_tls = config_.verify_tls;
    http_.perform(std::move(request), [call, now = now_, done](net::HttpResponse response) {
      auto outcome = guarded([&] { return interpret_plesk_response(call, response, now()); });
      done(std::move(outcome));
    });
  });
}

}  // namespace cobrador::hooks
