// Implements hooks/whmcs_panel.hpp.
#include "hooks/whmcs_panel.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>
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

Outcome interpret_whmcs_answer(const std::string& action, const net::HttpResponse& response,
                               std::chrono::system_clock::time_point now,
                               const std::function<bool(const std::string&)>& already) {
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
  if (already && already(message))
    return make_outcome(Outcome::Kind::done, "WHMCS " + action + ": " + message + " (already done)");
  return make_outcome(Outcome::Kind::failed, "WHMCS " + action + " refused: " + message);
}

Outcome interpret_whmcs_response(const PanelCall& call, const net::HttpResponse& response,
                                 std::chrono::system_clock::time_point now) {
  const std::string action = action_of(call.kind) ? action_of(call.kind) : "?";
  return interpret_whmcs_answer(action, response, now, [&call](const std::string& message) {
    return already_done(call.kind, message);
  });
}

std::optional<Outcome> recorded_already(std::string_view wanted, std::string_view call,
                                        const net::HttpResponse& response,
                                        std::chrono::system_clock::time_point now) {
  auto answer = interpret_whmcs_answer("GetTransactions", response, now, {});
  if (answer.kind != Outcome::Kind::done) return answer;
  const auto body = nlohmann::json::parse(response.body, nullptr, false);
  const auto transactions = body.find("transactions");
  if (transactions == body.end() || !transactions->is_object()) return std::nullopt;  // "" when none
  const auto list = transactions->find("transaction");
  if (list == transactions->end() || !(list->is_array() || list->is_object())) return std::nullopt;
  for (const auto& transaction : *list) {
    if (!transaction.is_object()) continue;
    const auto id = transaction.find("transid");
    if (id != transaction.end() && id->is_string() && id->get<std::string>() == wanted)
      return make_outcome(Outcome::Kind::done,
                          fmt::format("WHMCS {}: transaction {} is recorded already", call, wanted));
  }
  return std::nullopt;
}

WhmcsPanel::WhmcsPanel(PanelConfig config, net::HttpClient& http, boost::asio::io_context& io, Now now)
    : config_(std::move(config)), http_(http), io_(io), now_(std::move(now)) {}

net::HttpRequest WhmcsPanel::request(FormFields fields) const {
  fields.insert(fields.begin(),
                {{"identifier", config_.identifier}, {"secret", config_.secret}, {"responsetype", "json"}});
  net::HttpRequest request;
  request.method = "POST";
  request.url = without_trailing_slash(config_.url) + "/includes/api.php";
  request.body = encode_form(fields);
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
  request.timeout = config_.timeout;
  request.verify_tls = config_.verify_tls;
  return request;
}

// WHMCS documents no refusal of a transaction id it already has on AddInvoicePayment, and turns
// an overpayment into the client's credit: a write-back retried after a lost answer asks
// GetTransactions first, so that the money is recorded once.
void WhmcsPanel::once(const PaymentRecord& payment, const std::string& transaction, const char* call,
                      net::HttpRequest add, std::function<void(Outcome)> done) {
  http_.perform(
      request({{"action", "GetTransactions"}, {"invoiceid", payment.invoice}, {"transid", transaction}}),
      [transaction, call, done = std::move(done), add = std::move(add), &http = http_,
       now = now_](net::HttpResponse response) mutable {
        std::optional<Outcome> seen;
        try {
          seen = recorded_already(transaction, call, response, now());
        } catch (...) {
          seen = outcome_from_exception();
        }
        if (seen) return done(std::move(*seen));
        http.perform(std::move(add), [call, done, now](net::HttpResponse answer) {
          done(guarded([&] { return interpret_whmcs_answer(call, answer, now(), {}); }));
        });
      });
}

void WhmcsPanel::record_payment(const PaymentRecord& payment, std::function<void(Outcome)> done) {
  start_guarded(io_, done, [&] {
    if (payment.invoice.empty() || payment.transaction.empty())
      return post_outcome(
          io_, done, make_outcome(Outcome::Kind::failed, "a payment without its invoice or transaction id"));
    if (payment.returned) return record_return(payment, done);
    once(payment, payment.transaction, "AddInvoicePayment",
         request({{"action", "AddInvoicePayment"},
                  {"invoiceid", payment.invoice},
                  {"transid", payment.transaction},
                  {"gateway", payment.gateway},
                  {"date", payment.paid_on + " 00:00:00"},
                  {"amount", payment.amount},
                  {"noemail", "true"}}),
         done);
  });
}

// WHMCS has no call that undoes an invoice payment: the return is a transaction of money out
// against the invoice (its balance is owed again), with the bank's reason in its description,
// and the invoice is set Unpaid so that WHMCS, and the next pass, call it owed.
void WhmcsPanel::record_return(const PaymentRecord& payment, std::function<void(Outcome)> done) {
  const auto& returned = *payment.returned;
  if (returned.transaction.empty())
    return post_outcome(io_, done,
                        make_outcome(Outcome::Kind::failed, "a returned payment without the return's id"));
  auto add = request(
      {{"action", "AddTransaction"},
       {"paymentmethod", payment.gateway},
       {"invoiceid", payment.invoice},
       {"transid", returned.transaction},
       {"description", fmt::format("Returned debit {} of payment {}, booked by the bank on {} (cobrador)",
                                   returned.reason, payment.transaction, returned.date)},
       {"amountout", payment.amount}});
  auto reopen = request({{"action", "UpdateInvoice"}, {"invoiceid", payment.invoice}, {"status", "Unpaid"}});
  once(payment, returned.transaction, "AddTransaction", std::move(add),
       [done, reopen = std::move(reopen), &http = http_, now = now_](Outcome recorded) mutable {
         if (recorded.kind != Outcome::Kind::done) return done(std::move(recorded));
         http.perform(std::move(reopen), [done, now](net::HttpResponse answer) {
           done(guarded([&] { return interpret_whmcs_answer("UpdateInvoice", answer, now(), {}); }));
         });
       });
}

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
    FormFields fields{{"action", action}, {"serviceid", call.account}};
    // Not WHMCS's own "Overdue on Payment": WHMCS's Enable Unsuspension lifts only suspensions
    // with that reason, and only the bank's money may lift cobrador's (docs/connectors.md).
    if (call.kind == PanelCall::Kind::suspend)
      fields.emplace_back("suspendreason",
                          "cobrador: " + (call.reason == "non_payment" ? "non-payment" : call.reason));
    http_.perform(request(std::move(fields)), [call, done, now = now_](net::HttpResponse response) {
      auto outcome = guarded([&] { return interpret_whmcs_response(call, response, now()); });
      done(std::move(outcome));
    });
  });
}

}  // namespace cobrador::hooks
