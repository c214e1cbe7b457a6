// Implements hooks/fossbilling_panel.hpp.
#include "hooks/fossbilling_panel.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "hooks/adapter_support.hpp"
#include "hooks/http_outcome.hpp"
#include "hooks/suspend_modes.hpp"
#include "util/crypto.hpp"

namespace cobrador::hooks {

namespace {

const char* method_of(PanelCall::Kind kind) {
  switch (kind) {
    case PanelCall::Kind::suspend:
      return "order/suspend";
    case PanelCall::Kind::unsuspend:
      return "order/unsuspend";
    case PanelCall::Kind::terminate:
      return "order/cancel";
    case PanelCall::Kind::backup:
      break;
  }
  return nullptr;
}

std::string error_message(const nlohmann::json& body) {
  const auto error = body.find("error");
  if (error == body.end() || !error->is_object()) return "no message";
  auto message = error->value("message", std::string("no message"));
  if (const auto code = error->find("code"); code != error->end() && !code->is_null())
    message += " (code " + code->dump() + ")";
  return message;
}

}  // namespace

Outcome interpret_fossbilling_answer(const std::string& method, const net::HttpResponse& response,
                                     std::chrono::system_clock::time_point now,
                                     const std::function<bool(const std::string&)>& already) {
  const auto body = nlohmann::json::parse(response.body, nullptr, false);
  if (auto failure = classify_http(response, now)) {
    if (body.is_object() && body.contains("error"))
      failure->detail = "FOSSBilling " + method + ": " + error_message(body) + " (HTTP " +
                        std::to_string(response.status) + ")";
    return *failure;
  }
  if (!body.is_object() || !body.contains("result")) {
    return make_outcome(Outcome::Kind::failed, "FOSSBilling " + method + ": not an admin API answer (" +
                                                   body_excerpt(response.body) + ")");
  }
  if (const auto error = body.find("error"); error != body.end() && !error->is_null()) {
    const auto message = error_message(body);
    if (already && already(message))
      return make_outcome(Outcome::Kind::done, "FOSSBilling " + method + ": " + message + " (already done)");
    return make_outcome(Outcome::Kind::failed, "FOSSBilling " + method + " refused: " + message);
  }
  return make_outcome(Outcome::Kind::done, "FOSSBilling " + method + ": " + body["result"].dump());
}

Outcome interpret_fossbilling_response(const PanelCall& call, const net::HttpResponse& response,
                                       std::chrono::system_clock::time_point now) {
  const std::string method = method_of(call.kind) ? method_of(call.kind) : "?";
  // A retry of a call that went through: FOSSBilling refuses to suspend an order that is not
  // active, and to cancel one that is cancelled. Either way the service no longer runs.
  return interpret_fossbilling_answer(method, response, now, [&call](const std::string& message) {
    return (call.kind == PanelCall::Kind::suspend && message.find("Only active orders") == 0) ||
           (call.kind == PanelCall::Kind::terminate && message.find("Cannot cancel canceled") == 0);
  });
}

FossbillingPanel::FossbillingPanel(PanelConfig config, net::HttpClient& http, boost::asio::io_context& io,
                                   Now now)
    : config_(std::move(config)), http_(http), io_(io), now_(std::move(now)) {}

net::HttpRequest FossbillingPanel::request(const std::string& method, const nlohmann::json& params) const {
  net::HttpRequest request;
  request.method = "POST";
  request.url = without_trailing_slash(config_.url) + "/api/admin/" + method;
  request.body = params.dump();
  request.headers = {{"Content-Type", "application/json"},
                     {"Authorization", "Basic " + crypto::base64_encode("admin:" + config_.secret)}};
  request.timeout = config_.timeout;
  request.verify_tls = config_.verify_tls;
  return request;
}

// invoice/mark_as_paid answers true for an invoice paid already: a retry records nothing twice.
// `execute` stays false: FOSSBilling's cron renews the order later, and cobrador lifts its own
// suspension when its episode ends.
void FossbillingPanel::record_payment(const PaymentRecord& payment, std::function<void(Outcome)> done) {
  start_guarded(io_, done, [&] {
    if (payment.invoice.empty() || payment.transaction.empty())
      return post_outcome(
          io_, done, make_outcome(Outcome::Kind::failed, "a payment without its invoice or transaction id"));
    if (payment.returned) return record_return(payment, done);
    nlohmann::json params{
        {"id", payment.invoice}, {"transactionId", payment.transaction}, {"execute", false}};
    if (!payment.gateway.empty()) params["gateway_id"] = payment.gateway;
    http_.perform(request("invoice/mark_as_paid", params), [done, now = now_](net::HttpResponse response) {
      done(
          guarded([&] { return interpret_fossbilling_answer("invoice/mark_as_paid", response, now(), {}); }));
    });
  });
}

// FOSSBilling's invoice/refund issues a credit note (money back to the client), which a returned
// debit is not: the invoice is set unpaid again, its paid date cleared, and the bank's reason is
// added to its notes, which also tell a retry that the return is recorded.
void FossbillingPanel::record_return(const PaymentRecord& payment, std::function<void(Outcome)> done) {
  const auto& returned = *payment.returned;
  if (returned.transaction.empty())
    return post_outcome(io_, done,
                        make_outcome(Outcome::Kind::failed, "a returned payment without the return's id"));
  const auto line = fmt::format(
      "Returned debit {} of payment {} ({} {}), booked by the bank on {}; bank entry {} (cobrador)",
      returned.reason, payment.transaction, payment.amount, payment.currency, returned.date,
      returned.transaction);
  auto update = request("invoice/update", nlohmann::json::object());  // its body is set below
  http_.perform(
      request("invoice/get", {{"id", payment.invoice}}),
      [invoice = payment.invoice, mark = returned.transaction, line, done, update = std::move(update),
       &http = http_, now = now_](net::HttpResponse response) mutable {
        std::string notes;
        auto read = guarded([&] {
          auto answer = interpret_fossbilling_answer("invoice/get", response, now(), {});
          if (answer.kind != Outcome::Kind::done) return answer;
          const auto body = nlohmann::json::parse(response.body, nullptr, false);
          const auto result = body.find("result");
          if (result != body.end() && result->is_object()) {
            const auto old = result->find("notes");
            if (old != result->end() && old->is_string()) notes = old->get<std::string>();
          }
          return answer;
        });
        if (read.kind != Outcome::Kind::done) return done(std::move(read));
        // The same return reported again (an answer lost): its line is there, nothing added.
        if (notes.find(mark) == std::string::npos) notes += (notes.empty() ? "" : "\n") + line;
        update.body =
            nlohmann::json{{"id", invoice}, {"status", "unpaid"}, {"paid_at", ""}, {"notes", notes}}.dump(
                -1, ' ', false, nlohmann::json::error_handler_t::replace);
        http.perform(std::move(update), [done, now](net::HttpResponse answer) {
          done(guarded([&] { return interpret_fossbilling_answer("invoice/update", answer, now(), {}); }));
        });
      });
}

void FossbillingPanel::execute(const PanelCall& call, std::function<void(Outcome)> done) {
  start_guarded(io_, done, [&] {
    if (auto refused = refuse_unsupported_mode(call, "fossbilling")) return post_outcome(io_, done, *refused);
    const char* method = method_of(call.kind);
    if (!method) {
      return post_outcome(
          io_, done,
          make_outcome(Outcome::Kind::failed, "FOSSBilling has no backup call: ask the server's panel"));
    }
    if (call.account.empty()) {
      return post_outcome(
          io_, done,
          make_outcome(Outcome::Kind::failed,
                       "service " + call.service_id + " has no account: the FOSSBilling order id is needed"));
    }
    nlohmann::json params{{"id", call.account}};
    if (call.kind != PanelCall::Kind::unsuspend)
      params["reason"] = call.reason == "non_payment" ? "Overdue on payment" : call.reason;
    http_.perform(request(method, params), [call, done, now = now_](net::HttpResponse response) {
      auto outcome = guarded([&] { return interpret_fossbilling_response(call, response, now()); });
      done(std::move(outcome));
    });
  });
}

}  // namespace cobrador::hooks
