// Implements hooks/directadmin_panel.hpp.
#include "hooks/directadmin_panel.hpp"

#include <algorithm>
#include <variant>
#include <vector>

#include "hooks/adapter_support.hpp"
#include "hooks/backup_poller.hpp"
#include "hooks/directadmin_api.hpp"
#include "hooks/http_outcome.hpp"
#include "hooks/suspend_modes.hpp"

namespace cobrador::hooks {

struct DirectAdminPanel::State {
  PanelConfig config;
  net::HttpClient& http;
  boost::asio::io_context& io;
  Now now;
};

namespace {

using StatePtr = std::shared_ptr<const DirectAdminPanel::State>;
using Answer = std::variant<Outcome, std::string>;  // a failure, or the body of a good answer
using Files = std::vector<std::string>;

// Whose credentials a request carries: the configured user, or that user acting as an account.
net::HttpRequest request_to(const StatePtr& state, std::string_view path, const std::string& login) {
  net::HttpRequest request;
  request.url = without_trailing_slash(state->config.url) + std::string(path);
  request.headers = {{"Authorization", directadmin::basic_auth(login, state->config.secret)}};
  request.timeout = state->config.timeout;
  request.verify_tls = state->config.verify_tls;
  return request;
}

// A listing answers with "list[]=..." (or nothing) and only says error=1 when it fails.
bool is_plain_listing(std::string_view command, std::string_view body) {
  if (command.find("(list)") == std::string_view::npos) return false;
  for (const auto& [name, value] : decode_form(body)) {
    if (name == "error") return false;
  }
  return true;
}

Answer interpret(const net::HttpResponse& response, std::string_view command,
                 std::chrono::system_clock::time_point now) {
  if (auto failure = classify_http(response, now)) return *failure;
  if (is_plain_listing(command, response.body)) return response.body;
  const auto reply = directadmin::parse_reply(response.body);
  if (!reply) {
    return make_outcome(Outcome::Kind::failed, std::string(command) + ": " + reply.error().message + " (" +
                                                   body_excerpt(response.body) + ")");
  }
  if (!reply->ok) {
    auto why = reply->text;
    if (!reply->details.empty()) why += (why.empty() ? "" : ": ") + reply->details;
    return make_outcome(Outcome::Kind::failed, std::string(command) + " refused: " + why);
  }
  return response.body;
}

void send(const StatePtr& state, net::HttpRequest request, std::string_view command,
          std::function<void(Answer)> then) {
  state->http.perform(std::move(request), [state, command = std::string(command),
                                           then = std::move(then)](net::HttpResponse response) {
    Answer answer = [&]() -> Answer {
      try {
        return interpret(response, command, state->now());
      } catch (...) {
        return outcome_from_exception();
      }
    }();
    then(std::move(answer));
  });
}

void list_backups(const StatePtr& state, const std::string& login, std::function<void(Answer)> then) {
  send(state, request_to(state, directadmin::site_backup_path, login), "CMD_API_SITE_BACKUP (list)",
       std::move(then));
}

void check_for_new_file(const StatePtr& state, const std::string& login, const std::string& account,
                        const Files& before, std::function<void(std::optional<Outcome>)> report) {
  list_backups(state, login, [account, before, report](Answer answer) {
    if (auto* failure = std::get_if<Outcome>(&answer)) {
      return report(failure->kind == Outcome::Kind::retry ? std::nullopt : std::optional<Outcome>(*failure));
    }
    for (const auto& file : directadmin::parse_file_list(std::get<std::string>(answer))) {
      if (std::find(before.begin(), before.end(), file) != before.end()) continue;
      return report(make_outcome(Outcome::Kind::done, "DirectAdmin backup " + file + " is ready",
                                 "/home/" + account + "/backups/" + file));
    }
    report(std::nullopt);
  });
}

void queue_backup(const StatePtr& state, const std::string& login, const std::string& account, Files before,
                  Done done) {
  auto request = request_to(state, directadmin::site_backup_path, login);
  request.method = "POST";
  request.body = encode_form(directadmin::site_backup_form());
  request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  send(state, std::move(request), "CMD_API_SITE_BACKUP",
       [state, login, account, before = std::move(before), done = std::move(done)](Answer answer) {
         if (auto* failure = std::get_if<Outcome>(&answer)) return done(std::move(*failure));
         auto check = [state, login, account, before](std::function<void(std::optional<Outcome>)> report) {
           check_for_new_file(state, login, account, before, std::move(report));
         };
         poll_backup(state->io, state->config.poll_interval, state->config.poll_limit, std::move(check), done,
                     "DirectAdmin backup of " + account);
       });
}

void backup(const StatePtr& state, const std::string& account, Done done) {
  const auto login = directadmin::login_as(state->config.user, account);
  list_backups(state, login, [state, login, account, done = std::move(done)](Answer answer) {
    if (auto* failure = std::get_if<Outcome>(&answer)) return done(std::move(*failure));
    queue_backup(state, login, account, directadmin::parse_file_list(std::get<std::string>(answer)), done);
  });
}

void select_users(const StatePtr& state, const PanelCall& call, Done done) {
  auto request = request_to(state, directadmin::select_users_path, state->config.user);
  request.method = "POST";
  request.body = encode_form(directadmin::select_users_form(call));
  request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  const auto action = std::string(to_string(call.kind));
  send(state, std::move(request), "CMD_API_SELECT_USERS", [action, done = std::move(done)](Answer answer) {
    if (auto* failure = std::get_if<Outcome>(&answer)) return done(std::move(*failure));
    const auto reply = directadmin::parse_reply(std::get<std::string>(answer));
    done(make_outcome(Outcome::Kind::done, "DirectAdmin " + action + ": " + (reply ? reply->text : "")));
  });
}

}  // namespace

DirectAdminPanel::DirectAdminPanel(PanelConfig config, net::HttpClient& http, boost::asio::io_context& io,
                                   Now now)
    : state_(std::make_shared<const State>(State{std::move(config), http, io, std::move(now)})) {}

void DirectAdminPanel::execute(const PanelCall& call, std::function<void(Outcome)> done) {
  start_guarded(state_->io, done, [&] {
    if (auto refused = refuse_unsupported_mode(call, "directadmin"))
      return post_outcome(state_->io, done, *refused);
    if (call.kind == PanelCall::Kind::backup) return backup(state_, call.account, done);
    select_users(state_, call, done);
  });
}

}  // namespace cobrador::hooks
