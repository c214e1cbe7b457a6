// Implements hooks/whmcs_panel.hpp.
#include "hooks/whmcs_panel.hpp"

#include <algorithm>
#include <cctype>

#include <nlohmann/json.hpp>

#include "hooks/adapter_support.hpp"
#include "hooks/form_encoding.hpp"
#include "hooks/http_outcome.hpp"
#include "hooks/suspend_modes.hpp"

namespace cobrador::hooks {

namespace {

std::string lowered(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char ch) { return std::tolower(ch); });
  return text;
}

const char* action_of(PanelCall::Kind kind) {
  switch (kind) {
    case PanelCall::Kind::suspend:
      return "ModuleSuspend";
    case PanelCall::Kind::unsuspend:
      return "ModuleUnsuspend";
    case PanelCall::Kind::terminate:
      return "ModuleTerminate";
    case PanelCall::Kind::backup:
      break;
  }
  return nullptr;
}

// A retried call whose first attempt went through finds the work done. WHMCS passes the server
// module's own words on, which no document lists: these are the ones its modules use, and
// anything else stays a refusal for the operator to read.
bool already_done(PanelCall::Kind kind, const std::string& message) {
  const auto text = lowered(message);
  switch (kind) {
    case PanelCall::Kind::suspend:
      return text.find("already suspended") != std::string::npos;
    case PanelCall::Kind::unsuspend:
      return text.find("not suspended") != std::string::npos ||
             text.find("already active") != std::string::npos;
    case PanelCall::Kind::terminate:
      return text.find("already terminated") != std::string::npos;
    case PanelCall::Kind::backup:
      break;
  }
  return false;
}

}  // namespace

Outcome interpret_whmcs_response(const PanelCall& call, const net::HttpResponse& response,
                                 std::chrono::system_clock::time_point now) {
  const std::string action = action_of(call.kind) ? action_of(call.kind) : "?";
  if (auto failure = classify_http(response, now)) {
    // WHMCS refuses bad credentials with a 4xx and its own message: say it plainly.
    const auto body = nlohmann::json::parse(response.body, nullptr, false);
    if (body.is_object() && body.value("result", "") == "error")
      failure->detail = "WHMCS " + action + ": " + body.value("message", "") + " (HTTP " +
                        std::to_string(response.status) + ")";
    return *failure;
  }
  const auto body = nlohmann::json::parse(response.body, nullptr, false);
  if (!body.is_object() || !body.contains("result")) {
    return make_outcome(Outcome::Kind::failed,
                        "WHMCS " + action + ": not a WHMCS API answer (" + body_excerpt(response.body) + ")");
  }
  const auto result = body.value("result", "");
  if (result == "success") return make_outcome(Outcome::Kind::done, "WHMCS " + action + ": success");
  const auto message = body.value("message", std::string("no message"));
  if (already_done(call.kind, message))
    return make_outcome(Outcome::Kind::done, "WHMCS " + action + ": " + message + " (already done)");
  return make_outcome(Outcome::Kind::failed, "WHMCS " + action + " refused: " + message);
}

WhmcsPanel::WhmcsPanel(PanelConfig config, net::HttpClient& http, boost::asio::io_context& io, Now now)
    : config_(std::move(config)), http_(http), io_(io), now_(std::move(now)) {}

void WhmcsPanel::execute(const PanelCall& call, std::function<void(Outcome)> done) {
  start_guarded(io_, done, [&] {
    if (auto refused = refuse_unsupported_mode(call, "whmcs")) return post_outcome(io_, done, *refused);
    const char* action = action_of(call.kind);
    if (!action) {
      return post_outcome(
          io_, done, make_outcome(Outcome::Kind::failed, "WHMCS has no backup call: ask the server's panel"));
    }
    if (call.account.empty()) {
      return post_outcome(
          io_, done,
          make_outcome(Outcome::Kind::failed,
                       "service " + call.service_id + " has no account: the WHMCS service id is needed"));
    }
    FormFields fields{{"action", action},
                      {"identifier", config_.identifier},
                      {"secret", config_.secret},
                      {"serviceid", call.account},
                      {"responsetype", "json"}};
    // Not WHMCS's own "Overdue on Payment": WHMCS's Enable Unsuspension lifts only suspensions
    // with that reason, and only the bank's money may lift cobrador's (docs/connectors.md).
    if (call.kind == PanelCall::Kind::suspend)
      fields.emplace_back("suspendreason",
                          "cobrador: " + (call.reason == "non_payment" ? "non-payment" : call.reason));
    net::HttpRequest request;
    request.method = "POST";
    request.url = without_trailing_slash(config_.url) + "/includes/api.php";
    request.body = encode_form(fields);
    request.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
    request.timeout = config_.timeout;
    request.verify_tls = config_.verify_tls;
    http_.perform(std::move(request), [call, done, now = now_](net::HttpResponse response) {
      auto outcome = guarded([&] { return interpret_whmcs_response(call, response, now()); });
      done(std::move(outcome));
    });
  });
}

}  // namespace cobrador::hooks
