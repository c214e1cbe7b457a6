// Implements hooks/cpanel_panel.hpp.
#include "hooks/cpanel_panel.hpp"

#include <variant>

#include "hooks/adapter_support.hpp"
#include "hooks/backup_poller.hpp"
#include "hooks/cpanel_api.hpp"
#include "hooks/http_outcome.hpp"
#include "hooks/suspend_modes.hpp"

namespace cobrador::hooks {

struct CpanelPanel::State {
  PanelConfig config;
  net::HttpClient& http;
  boost::asio::io_context& io;
  Now now;
};

namespace {

using State = CpanelPanel::State;
using StatePtr = std::shared_ptr<const State>;
// Either why the call did not succeed, or WHM's successful reply.
using Answer = std::variant<Outcome, cpanel::Reply>;

Answer interpret(const net::HttpResponse& response, const std::string& function,
                 std::chrono::system_clock::time_point now) {
  if (auto failure = classify_http(response, now)) return *failure;
  auto reply = cpanel::parse_reply(response.body);
  if (!reply) {
    return make_outcome(Outcome::Kind::failed, "WHM " + function + ": " + reply.error().message + " (" +
                                                   body_excerpt(response.body) + ")");
  }
  if (!reply->ok)
    return make_outcome(Outcome::Kind::failed, "WHM " + function + " refused: " + reply->reason);
  return std::move(*reply);
}

Answer interpret_safely(const net::HttpResponse& response, const std::string& function,
                        std::chrono::system_clock::time_point now) noexcept {
  try {
    return interpret(response, function, now);
  } catch (...) {
    return outcome_from_exception();
  }
}

void call_whm(const StatePtr& state, const cpanel::ApiCall& api, std::function<void(Answer)> then) {
  net::HttpRequest request;
  request.url = cpanel::url_for(state->config.url, api);
  request.headers = {{"Authorization", cpanel::authorization(state->config.user, state->config.secret)}};
  request.timeout = state->config.timeout;
  request.verify_tls = state->config.verify_tls;
  state->http.perform(std::move(request),
                      [state, function = api.function, then = std::move(then)](net::HttpResponse response) {
                        then(interpret_safely(response, function, state->now()));
                      });
}

// One poll of the pkgacct session: an outcome when it is over, nullopt while it runs. A
// transient failure of the poll itself keeps polling: the backup runs on regardless.
void check_session(const StatePtr& state, const std::string& session_id, const std::string& location,
                   std::function<void(std::optional<Outcome>)> report) {
  call_whm(state, cpanel::session_state_call(session_id), [session_id, location, report](Answer answer) {
    if (auto* failure = std::get_if<Outcome>(&answer)) {
      if (failure->kind == Outcome::Kind::retry) return report(std::nullopt);
      return report(*failure);
    }
    const auto sstate = cpanel::parse_session_state(std::get<cpanel::Reply>(answer).data);
    if (!sstate) return report(make_outcome(Outcome::Kind::failed, sstate.error().message));
    if (*sstate == cpanel::SessionState::running) return report(std::nullopt);
    if (*sstate == cpanel::SessionState::failed) {
      return report(make_outcome(Outcome::Kind::failed, "WHM pkgacct session " + session_id + " failed"));
    }
    report(make_outcome(Outcome::Kind::done, "WHM pkgacct session " + session_id + " completed", location));
  });
}

void follow_backup(const StatePtr& state, const cpanel::Reply& started, Done done) {
  const auto& data = started.data;
  if (!data.is_object() || !data.contains("session_id") || !data["session_id"].is_string()) {
    return done(make_outcome(Outcome::Kind::failed, "WHM start_background_pkgacct gave no session_id"));
  }
  const std::string session_id = data["session_id"];
  const std::string location = data.contains("complete_file") && data["complete_file"].is_string()
                                   ? data["complete_file"].get<std::string>()
                                   : std::string();
  auto check = [state, session_id, location](std::function<void(std::optional<Outcome>)> report) {
    check_session(state, session_id, location, std::move(report));
  };
  poll_backup(state->io, state->config.poll_interval, state->config.poll_limit, std::move(check),
              std::move(done), "WHM pkgacct session " + session_id);
}

}  // namespace

CpanelPanel::CpanelPanel(PanelConfig config, net::HttpClient& http, boost::asio::io_context& io, Now now)
    : state_(std::make_shared<const State>(State{std::move(config), http, io, std::move(now)})) {}

void CpanelPanel::execute(const PanelCall& call, std::function<void(Outcome)> done) {
  start_guarded(state_->io, done, [&] {
    if (auto refused = refuse_unsupported_mode(call, "cpanel"))
      return post_outcome(state_->io, done, *refused);
    const auto api = cpanel::action_call(call);
    const bool backup = call.kind == PanelCall::Kind::backup;
    call_whm(state_, api, [state = state_, backup, function = api.function, done](Answer answer) {
      if (auto* failure = std::get_if<Outcome>(&answer)) return done(std::move(*failure));
      const auto& reply = std::get<cpanel::Reply>(answer);
      if (backup) return follow_backup(state, reply, done);
      done(make_outcome(Outcome::Kind::done, "WHM " + function + ": " + reply.reason));
    });
  });
}

}  // namespace cobrador::hooks
