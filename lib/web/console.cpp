// Implements web/console.hpp: the routes, who is signed in, and the forms' CSRF check.
#include "web/console.hpp"

#include <functional>
#include <memory>
#include <mutex>
#include <optional>

#include <fmt/format.h>

#include "service/bank_placement.hpp"
#include "service/desk.hpp"
#include "service/trust_release.hpp"
#include "util/crypto.hpp"
#include "walk/simulate.hpp"
#include "web/console_page.hpp"
#include "web/console_sessions.hpp"
#include "web/console_style.hpp"
#include "web/customer_page.hpp"
#include "web/dunning_page.hpp"
#include "web/forms.hpp"
#include "web/today_page.hpp"
#include "web/work_page.hpp"

namespace cobrador::web {

namespace {

using http::Request;
using http::Respond;
using http::Response;

constexpr int kForecastDays = 30;

Html sign_in_form(std::string_view problem) {
  Html notice;
  if (!problem.empty()) notice = html(R"(<p class="notice bad" role="alert">{}</p>)", problem);
  return html(R"({}<form class="signin" method="post" action="/console/sign-in">
<p>Sign in with an API token that has the <code>operator</code> scope (to act) or the <code>read</code> scope (to look).</p>
<label for="token">Token</label><input id="token" name="token" type="password" autocomplete="current-password" required autofocus size="40">
<p><button type="submit">Sign in</button></p></form>)",
              notice);
}

class Console : public std::enable_shared_from_this<Console> {
 public:
  explicit Console(http::ApiContext& context) : context_(context) {}

  void add_routes(http::Router& router) {
    auto self = shared_from_this();
    router.add("GET", "/console",
               [](Request&&, http::Params&&, Respond respond) { respond(see_other("/console/")); });
    router.add("GET", "/console/", [self](Request&& request, http::Params&&, Respond respond) {
      self->today(std::move(request), std::move(respond));
    });
    router.add("GET", "/console/customers", [self](Request&& request, http::Params&&, Respond respond) {
      auto query = request.query_value("q");
      self->page(std::move(request), std::move(respond), ConsolePlace::customers, "Customers",
                 [query = std::move(query)](store::Store& store, const policy::Policy&, const ConsoleSession&,
                                            Instant) -> std::optional<Html> {
                   return customer_search_body(store, query);
                 });
    });
    router.add("GET", "/console/customers/{id}",
               [self](Request&& request, http::Params&& params, Respond respond) {
                 self->page(std::move(request), std::move(respond), ConsolePlace::customers, "Customer",
                            [id = params.at("id")](store::Store& store, const policy::Policy& policy,
                                                   const ConsoleSession& session, Instant now) {
                              return customer_body(store, policy, id, now, session);
                            });
               });
    router.add("GET", "/console/dunning", [self](Request&& request, http::Params&&, Respond respond) {
      auto month = request.query_value("month");
      self->page(
          std::move(request), std::move(respond), ConsolePlace::dunning, "Did dunning work?",
          [month = std::move(month)](store::Store& store, const policy::Policy& policy, const ConsoleSession&,
                                     Instant now) { return dunning_body(store, policy, now, month); });
    });
    router.add("GET", "/console/work", [self](Request&& request, http::Params&&, Respond respond) {
      self->page(std::move(request), std::move(respond), ConsolePlace::work, "Work",
                 [](store::Store& store, const policy::Policy&, const ConsoleSession& session,
                    Instant) -> std::optional<Html> { return work_body(store, session); });
    });
    router.add("POST", "/console/tasks/{id}/outcome",
               [self](Request&& request, http::Params&& params, Respond respond) {
                 self->act(std::move(request), std::move(respond), "/console/work#tasks",
                           [id = params.at("id")](store::Store& store, const policy::Policy& policy,
                                                  const ConsoleSession& session, const std::string& form,
                                                  Instant now) {
                             return close_task(store, policy, session, id, form, now);
                           });
               });
    router.add("POST", "/console/actions/{id}/retry",
               [self](Request&& request, http::Params&& params, Respond respond) {
                 self->act(std::move(request), std::move(respond), "/console/work#dead-actions",
                           [id = params.at("id")](store::Store& store, const policy::Policy&,
                                                  const ConsoleSession& session, const std::string&,
                                                  Instant now) -> ConsoleSessions::Flash {
                             const auto retried = store.retry_action(id, now, session.actor());
                             if (!retried) return {retried.error().message, true};
                             return {fmt::format("Action {} ({}) is pending again: the dispatcher sends it.",
                                                 retried->id, retried->key),
                                     false};
                           });
               });
    router.add("POST", "/console/bank-entries/{entry}/place",
               [self](Request&& request, http::Params&& params, Respond respond) {
                 self->act(
                     std::move(request), std::move(respond), "/console/work#unmatched",
                     [entry = params.at("entry")](store::Store& store, const policy::Policy& policy,
                                                  const ConsoleSession& session, const std::string& form,
                                                  Instant now) -> ConsoleSessions::Flash {
                       const auto invoice = form_value(form, "invoice").value_or("");
                       auto placed =
                           service::place_bank_credit(store, policy, entry, invoice, now, session.actor());
                       if (const auto* refusal = std::get_if<service::Refusal>(&placed))
                         return {refusal->message, true};
                       const auto& done = std::get<service::PlacedCredit>(placed);
                       return {fmt::format("Bank entry {} pays invoice {} of {}: payment {}.", entry,
                                           done.invoice, done.customer, done.payment.ext_id),
                               false};
                     });
               });
    router.add("POST", "/console/customers/{id}/trust-release",
               [self](Request&& request, http::Params&& params, Respond respond) {
                 const auto back = customer_path(params.at("id")) + "#trust-release";
                 self->act(std::move(request), std::move(respond), back,
                           [id = params.at("id")](store::Store& store, const policy::Policy& policy,
                                                  const ConsoleSession& session, const std::string& form,
                                                  Instant now) {
                             return trust_release(store, policy, session, id, form, now);
                           });
               });
    router.add("GET", "/console/sign-in", [](Request&&, http::Params&&, Respond respond) {
      respond(console_page(nullptr, ConsolePlace::sign_in, "Sign in", sign_in_form("")));
    });
    router.add("POST", "/console/sign-in", [self](Request&& request, http::Params&&, Respond respond) {
      respond(self->sign_in(request));
    });
    router.add("POST", "/console/sign-out", [self](Request&& request, http::Params&&, Respond respond) {
      respond(self->sign_out(request));
    });
    router.add("GET", "/console/assets/console.css", [](Request&&, http::Params&&, Respond respond) {
      Response response;
      response.content_type = "text/css; charset=utf-8";
      response.body = std::string(console_css());
      response.headers.emplace_back("Cache-Control", "max-age=3600");
      response.headers.emplace_back("X-Content-Type-Options", "nosniff");
      respond(std::move(response));
    });
  }

 private:
  std::optional<ConsoleSession> session_of(const Request& request) {
    const auto id = cookie_value(request.header("cookie"), kSessionCookie);
    if (id.empty()) return std::nullopt;
    return sessions_.find(id, context_.clock());
  }

  Response sign_in(const Request& request) {
    const auto token = form_value(request.body, "token").value_or("");
    const auto* caller = token.empty() ? nullptr : context_.credentials.client_for_token(token);
    if (!caller || !(caller->has_scope("operator") || caller->has_scope("read"))) {
      // Which it was (no such token, or one without a console scope) is not said: it would
      // tell someone guessing that a token exists.
      return console_page(nullptr, ConsolePlace::sign_in, "Sign in",
                          sign_in_form("This token does not open the console."), 401);
    }
    const auto session = sessions_.open(caller->name, caller->has_scope("operator"), context_.clock());
    auto response = see_other("/console/");
    response.headers.emplace_back("Set-Cookie", session_cookie(session));
    return response;
  }

  Response sign_out(const Request& request) {
    if (const auto session = session_of(request); session && csrf_ok(*session, request))
      sessions_.close(session->id);
    auto response = see_other("/console/sign-in");
    response.headers.emplace_back("Set-Cookie", ended_session_cookie());
    return response;
  }

  static bool csrf_ok(const ConsoleSession& session, const Request& request) {
    const auto sent = form_value(request.body, "csrf");
    return sent && crypto::equal_constant_time(*sent, session.csrf);
  }

  void today(Request&& request, Respond respond) {
    auto session = session_of(request);
    if (!session) return respond(see_other("/console/sign-in"));
    const auto now = context_.clock();
    context_.store->submit(
        http::StoreWorker::Mode::alone,
        [self = shared_from_this(), session = std::move(*session), now](store::Store& store) {
          const auto policy = self->context_.policy.get();
          const auto forecast = self->forecast(store, policy, now);
          return console_page(&session, ConsolePlace::today, "Today",
                              today_body(store, *policy, now, forecast));
        },
        std::move(respond));
  }

  // What a page's body is made of: the store, the policy in force, who asks, and now; nothing
  // when what the page is about does not exist (404).
  using Body = std::function<std::optional<Html>(store::Store&, const policy::Policy&, const ConsoleSession&,
                                                 Instant)>;

  // A page that reads the store: signed in, on the store thread, outside any transaction.
  void page(Request&& request, Respond respond, ConsolePlace place, std::string title, Body body) {
    auto session = session_of(request);
    if (!session) return respond(see_other("/console/sign-in"));
    const auto now = context_.clock();
    context_.store->submit(
        http::StoreWorker::Mode::alone,
        [self = shared_from_this(), session = std::move(*session), now, place, title = std::move(title),
         body = std::move(body)](store::Store& store) {
          const auto policy = self->context_.policy.get();
          if (auto made = body(store, *policy, session, now)) {
            Html said;
            if (const auto flash = self->sessions_.take_flash(session.id))
              said = html(R"(<p class="notice{}" role="status">{}</p>)", Html{flash->refused ? " bad" : ""},
                          flash->text);
            return console_page(&session, place, title, html("{}{}", said, *made));
          }
          return console_page(
              &session, place, "Not found",
              html("<p class=\"notice bad\">{}</p>",
                   "There is nothing here: it may have been removed, or the address is wrong."),
              404);
        },
        std::move(respond));
  }

  // What a form does: the store, the policy, who posts, the url-encoded body, now; it answers
  // what the next page says about it.
  using Act = std::function<ConsoleSessions::Flash(store::Store&, const policy::Policy&,
                                                   const ConsoleSession&, const std::string&, Instant)>;

  // A form that changes something: an operator session, its CSRF token, then `act` in the
  // store's write transaction; the answer is a redirect to `back` (post, redirect, get), whose
  // page says what happened.
  void act(Request&& request, Respond respond, std::string back, Act act) {
    auto session = session_of(request);
    if (!session) return respond(see_other("/console/sign-in"));
    if (!session->may_change)
      return respond(console_page(
          &*session, ConsolePlace::refused, "Not allowed",
          html(R"(<p class="notice bad" role="alert">{}</p>)",
               "This session is read only: it was opened with a read token, and changes nothing."),
          403));
    if (!csrf_ok(*session, request))
      return respond(console_page(&*session, ConsolePlace::refused, "Not sent from the console",
                                  html(R"(<p class="notice bad" role="alert">{}</p>)",
                                       "This form did not carry the session's token (CSRF): nothing was "
                                       "changed. Open the page again and send it from there."),
                                  403));
    const auto now = context_.clock();
    context_.store->submit(
        http::StoreWorker::Mode::batched,
        [self = shared_from_this(), session = std::move(*session), body = std::move(request.body),
         back = std::move(back), act = std::move(act), now](store::Store& store) {
          const auto policy = self->context_.policy.get();
          self->sessions_.flash(session.id, act(store, *policy, session, body, now));
          return see_other(back);
        },
        std::move(respond));
  }

  static ConsoleSessions::Flash close_task(store::Store& store, const policy::Policy& policy,
                                           const ConsoleSession& session, const std::string& id,
                                           const std::string& form, Instant now) {
    service::TaskClosing closing;
    try {
      closing.task_id = std::stoll(id);
    } catch (const std::exception&) {
      return {fmt::format("'{}' is not a task", id), true};
    }
    const auto outcome = form_value(form, "outcome").value_or("");
    const auto colon = outcome.find(':');
    if (colon == std::string::npos) return {"Choose an outcome.", true};
    closing.closing =
        outcome.substr(0, colon) == "dismissed" ? policy::Closing::dismissed : policy::Closing::done;
    closing.outcome = outcome.substr(colon + 1);
    closing.note = form_value(form, "note").value_or("");
    closing.reason_code = form_value(form, "reason_code").value_or("");
    auto closed = service::close_task(store, policy, closing, now, session.actor());
    if (const auto* refusal = std::get_if<service::Refusal>(&closed)) return {refusal->message, true};
    const auto& task = std::get<service::TaskClosed>(closed).task;
    return {task.state == "open" ? fmt::format("Task {} stays open: its next attempt is due {}.", task.id,
                                               format_date(task.due_on))
                                 : fmt::format("Task {} is {}: {}.", task.id, task.state, task.outcome),
            false};
  }

  static ConsoleSessions::Flash trust_release(store::Store& store, const policy::Policy& policy,
                                              const ConsoleSession& session, const std::string& id,
                                              const std::string& form, Instant now) {
    service::TrustReleaseRequest request;
    request.customer = id;
    request.reason = form_value(form, "reason").value_or("");
    request.force = form_value(form, "force").value_or("") == "yes";
    request.actor = session.actor();
    const auto outcome = service::grant_trust_release(store, policy, request, now);
    if (!outcome) return {outcome.error().message, true};
    if (const auto* refused = std::get_if<service::TrustReleaseRefused>(&*outcome))
      return {fmt::format("Refused by {}: {}", refused->rule, refused->message), true};
    const auto& granted = std::get<service::TrustReleaseGranted>(*outcome);
    return {fmt::format("Trust release granted until {}{}.", format_date(granted.promise.deadline),
                        granted.unsuspended.empty() ? "" : "; the suspended services are being reactivated"),
            false};
  }

  // The forecast replays a month of walks on the whole book: computed at most once an hour (and
  // again when the policy or the day changes), on the store thread, where it is read.
  ForecastDays forecast(store::Store& store, const std::shared_ptr<const policy::Policy>& policy,
                        Instant now) {
    const auto today = policy->local_date(now);
    std::lock_guard lock(forecast_mutex_);
    if (!forecast_ || forecast_policy_ != policy || forecast_->from != today ||
        now - forecast_at_ > std::chrono::hours{1}) {
      const auto timeline = walk::simulate(store, *policy, today, kForecastDays);
      forecast_ = forecast_days(*policy, today, kForecastDays, timeline);
      forecast_policy_ = policy;
      forecast_at_ = now;
    }
    return *forecast_;
  }

  http::ApiContext& context_;
  ConsoleSessions sessions_;
  std::mutex forecast_mutex_;
  std::optional<ForecastDays> forecast_;
  std::shared_ptr<const policy::Policy> forecast_policy_;  // the one forecast_ was made with
  Instant forecast_at_{};
};

}  // namespace

void add_console_routes(http::Router& router, http::ApiContext& context) {
  std::make_shared<Console>(context)->add_routes(router);
}

}  // namespace cobrador::web
