// A stand-in for FOSSBilling's admin API (issue 24) on a loopback FakePanel, answering as
// FOSSBilling 0.7/0.8 do (docs/connectors.md): HTTP Basic auth `admin:<API key>` (a wrong key is
// HTTP 401 "Authentication Failed", code 205), POST /api/admin/{client,order,invoice}/get_list,
// the {result, error} envelope, and the pager {pages, page, per_page, total, list} with the page
// taken from the query string as 0.7 does, newest first. The book is data the tests change.
#pragma once

#include <algorithm>
#include <functional>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/fake_panel.hpp"
#include "util/crypto.hpp"

namespace cobrador::testing {

// What the installation holds, each list as created (oldest first, ids ascending).
struct FossbillingBook {
  std::string api_key = "fb-admin-key-5f1c2e";
  std::vector<nlohmann::json> clients;
  std::vector<nlohmann::json> orders;
  std::vector<nlohmann::json> invoices;
  // A page made to fail: that call ("invoice/get_list") and page answer `failure` instead.
  std::string failing_call;
  int failing_page = 0;
  FakeResponse failure;
  // Runs before a list page is answered: a test adds rows here to shift the pages mid-pass.
  std::function<void(FossbillingBook& book, const std::string& call, int page)> before_page;
};

// The row with that id in one of the book's lists (a test's edit); throws when there is none.
inline nlohmann::json& fossbilling_row(std::vector<nlohmann::json>& rows, int id) {
  const auto found =
      std::find_if(rows.begin(), rows.end(), [id](const nlohmann::json& row) { return row.at("id") == id; });
  if (found == rows.end())
    throw std::out_of_range("no row " + std::to_string(id) + " in the stand-in's book");
  return *found;
}

inline nlohmann::json fossbilling_client(int id, const std::string& company, const std::string& first,
                                         const std::string& last, const std::string& email,
                                         const std::string& phone_cc, const std::string& phone,
                                         const nlohmann::json& lang, const std::string& currency,
                                         const std::string& created_at) {
  return {
      {"id", id},           {"aid", nullptr},      {"email", email},           {"type", "individual"},
      {"company", company}, {"first_name", first}, {"last_name", last},        {"phone_cc", phone_cc},
      {"phone", phone},     {"lang", lang},        {"currency", currency},     {"status", "active"},
      {"group_id", 1},      {"country", "BR"},     {"created_at", created_at}, {"updated_at", created_at}};
}

inline nlohmann::json fossbilling_order(int id, int client_id, int product_id,
                                        const std::string& service_type, const std::string& status,
                                        const nlohmann::json& price, int quantity,
                                        const std::string& currency) {
  return {{"id", id},
          {"client_id", client_id},
          {"product_id", product_id},
          {"group_master", 1},
          {"title", "Product " + std::to_string(product_id)},
          {"service_type", service_type},
          {"status", status},
          {"price", price},
          {"quantity", quantity},
          {"currency", currency},
          {"period", "1M"},
          {"expires_at", "2024-12-01 00:00:00"},
          {"created_at", "2023-07-01 10:00:00"}};
}

// An invoice's line: an order's (type "order") when `order_id` is set, else a custom one.
inline nlohmann::json fossbilling_line(int id, const nlohmann::json& order_id, const nlohmann::json& price) {
  return {{"id", id},
          {"title", "Line " + std::to_string(id)},
          {"type", order_id.is_null() ? "custom" : "order"},
          {"order_id", order_id},
          {"rel_id", order_id},
          {"quantity", 1},
          {"price", price},
          {"status", "pending_setup"}};
}

inline nlohmann::json fossbilling_invoice(int id, int client_id, const std::string& status,
                                          const nlohmann::json& total, const std::string& currency,
                                          const nlohmann::json& created_at, const nlohmann::json& due_at,
                                          const std::vector<nlohmann::json>& lines, bool approved = true) {
  return {{"id", id},
          {"serie", "FOSS"},
          {"nr", id},
          {"serie_nr", "FOSS" + std::to_string(id)},
          {"client_id", client_id},
          {"status", status},
          {"currency", currency},
          {"total", total},
          {"created_at", created_at},
          {"due_at", due_at},
          {"paid_at", status == "paid" ? created_at : nlohmann::json(nullptr)},
          {"approved", approved},
          {"lines", nlohmann::json(lines)}};
}

// Three clients, six orders (one cancelled) and eight invoices (one a draft): a book of 3
// customers, 5 services and 7 invoices once read.
inline FossbillingBook fossbilling_sample_book() {
  FossbillingBook book;
  book.clients = {
      fossbilling_client(1, "Acme Hospedagem Ltda", "Ana", "Souza", "ana@acme.example", "55",
                         "(11) 98765-4321", "pt_BR", "BRL", "2023-02-14 09:30:00"),
      fossbilling_client(2, "", "John", "Smith ", "john@smith.example", "1", "555 0100", "en_US", "USD",
                         "2023-06-01 12:00:00"),
      fossbilling_client(3, "", "", "", "maria@ejemplo.example", "34", "", "es_ES", "EUR",
                         "2024-01-05 08:15:00"),
  };
  book.orders = {
      fossbilling_order(1, 1, 10, "hosting", "active", "12.95", 1, "BRL"),
      fossbilling_order(2, 1, 20, "vps", "suspended", 40, 2, "BRL"),
      fossbilling_order(3, 2, 30, "custom", "failed_renew", 10.1, 3, "USD"),
      fossbilling_order(4, 2, 40, "domain", "canceled", "15.00", 1, "USD"),
      fossbilling_order(5, 3, 50, "license", "active", "5.00", 1, "EUR"),
      fossbilling_order(6, 3, 10, "hosting", "active", 19.9, 1, "EUR"),
  };
  using nlohmann::json;
  book.invoices = {
      fossbilling_invoice(1, 1, "paid", 92.95, "BRL", "2024-01-01 08:00:00", "2024-01-08 08:00:00",
                          {fossbilling_line(1, 1, "12.95"), fossbilling_line(2, 2, "80.00")}),
      fossbilling_invoice(2, 1, "unpaid", 12.95, "BRL", "2024-02-01 08:00:00", "2024-02-08 08:00:00",
                          {fossbilling_line(3, 1, "12.95")}),
      // 10.1 + 20.2 as PHP adds them: 30.299999999999997. Order 4 was cancelled since.
      fossbilling_invoice(3, 2, "unpaid", 10.1 + 20.2, "USD", "2024-02-10 09:00:00", nullptr,
                          {fossbilling_line(4, 3, "10.10"), fossbilling_line(5, 4, "20.20")}),
      fossbilling_invoice(4, 2, "canceled", 30.000000000000004, "USD", "2024-02-11 09:00:00",
                          "2024-02-18 09:00:00", {fossbilling_line(6, nullptr, "30.00")}),
      // A draft: not the client's to pay yet.
      fossbilling_invoice(5, 3, "unpaid", 5, "EUR", "2024-02-12 10:00:00", "2024-02-19 10:00:00",
                          {fossbilling_line(7, 5, "5.00")}, false),
      fossbilling_invoice(
          6, 3, "unpaid", "24.90", "EUR", "2024-02-15 10:00:00", "2024-02-22 10:00:00",
          {fossbilling_line(8, 5, "5.00"), fossbilling_line(9, 6, "19.90"), fossbilling_line(10, 5, "0.00")}),
      fossbilling_invoice(7, 3, "refunded", 19.9, "EUR", "2024-02-16 10:00:00", "2024-02-23 10:00:00",
                          {fossbilling_line(11, 6, "19.90")}),
      fossbilling_invoice(8, 2, "unpaid", 30.3, "USD", "2024-03-10 09:00:00", "2024-03-17 09:00:00",
                          {fossbilling_line(12, 3, "30.30")}),
  };
  return book;
}

inline FakeResponse fossbilling_envelope(int status, const nlohmann::json& result,
                                         const nlohmann::json& error) {
  return FakeResponse{status,
                      {{"Content-Type", "application/json"},
                       {"Cache-Control", "no-cache, must-revalidate"},
                       {"Expires", "Mon, 26 Jul 1997 05:00:00 GMT"}},
                      nlohmann::json{{"result", result}, {"error", error}}.dump(),
                      {}};
}

inline FakeResponse fossbilling_error(int status, const std::string& message, int code) {
  return fossbilling_envelope(status, nullptr, {{"message", message}, {"code", code}});
}

// FOSSBilling's _tryTokenLogin: no or unreadable Basic credentials 201, an empty key 206,
// another role than the route's 203, a wrong admin key 205; all HTTP 401.
inline std::optional<FakeResponse> fossbilling_refusal(const FossbillingBook& book,
                                                       const FakeRequest& request) {
  const auto refuse = [](int code) { return fossbilling_error(401, "Authentication Failed", code); };
  const std::string scheme = "Basic ";
  const auto authorization = request.header("authorization");
  if (authorization.rfind(scheme, 0) != 0) return refuse(201);
  const auto decoded = crypto::base64_decode(authorization.substr(scheme.size()));
  if (!decoded || decoded->find(':') == std::string::npos) return refuse(201);
  const auto colon = decoded->find(':');
  const auto user = decoded->substr(0, colon);
  const auto key = decoded->substr(colon + 1);
  if (key.empty()) return refuse(206);
  if (user != "admin") return refuse(203);
  if (key != book.api_key) return refuse(205);
  return std::nullopt;
}

// One page of a list, newest first (clients by created_at, orders and invoices by id: here both
// are the order of creation).
inline FakeResponse fossbilling_page(const std::vector<nlohmann::json>& rows, int page, int per_page) {
  const std::vector<nlohmann::json> newest_first(rows.rbegin(), rows.rend());
  const int total = static_cast<int>(newest_first.size());
  nlohmann::json list = nlohmann::json::array();
  for (int at = (page - 1) * per_page; at >= 0 && at < std::min(total, page * per_page); ++at)
    list.push_back(newest_first[static_cast<std::size_t>(at)]);
  const nlohmann::json pager{{"pages", (total + per_page - 1) / per_page},
                             {"page", page},
                             {"per_page", per_page},
                             {"total", total},
                             {"list", std::move(list)}};
  return fossbilling_envelope(200, pager, nullptr);
}

// The answer FOSSBilling gives `request` for the book as it is now.
inline FakeResponse fossbilling_answer(FossbillingBook& book, const FakeRequest& request) {
  if (auto refused = fossbilling_refusal(book, request)) return *refused;
  const std::string prefix = "/api/admin/";
  const auto call = request.path.rfind(prefix, 0) == 0 ? request.path.substr(prefix.size()) : "";
  if (call == "invoice/get") {
    // FOSSBilling's _getInvoice: the invoice, or an InformationException without a code, which
    // its ApiResponseFactory answers with HTTP 200 and code 9999.
    const auto body = nlohmann::json::parse(request.body, nullptr, false);
    const auto id = body.is_object() && body.contains("id") ? body["id"].dump() : std::string();
    for (const auto& invoice : book.invoices)
      if (invoice.at("id").dump() == id || "\"" + invoice.at("id").dump() + "\"" == id)
        return fossbilling_envelope(200, invoice, nullptr);
    return fossbilling_error(200, "Invoice was not found", 9999);
  }
  std::vector<nlohmann::json>* rows = nullptr;
  if (call == "client/get_list") rows = &book.clients;
  if (call == "order/get_list") rows = &book.orders;
  if (call == "invoice/get_list") rows = &book.invoices;
  if (!rows) return fossbilling_error(400, "Unknown API call " + request.path, 879);
  if (!request.body.empty() && !nlohmann::json::accept(request.body))
    return fossbilling_error(200, "Malformed JSON input: Syntax error", 400);
  const auto number = [&](const std::string& name, int absent) {
    const auto text = request.query_value(name);
    return text.empty() || text.find_first_not_of("0123456789") != std::string::npos ? absent
                                                                                     : std::stoi(text);
  };
  const int page = number("page", 1);
  const int per_page = number("per_page", 100);
  if (page < 1) return fossbilling_error(200, "Page number must be greater than zero", 9999);
  if (per_page < 1 || per_page > 500)
    return fossbilling_error(200, "The number of items per page (per_page) is too large", 9999);
  if (book.before_page) book.before_page(book, call, page);
  if (call == book.failing_call && page == book.failing_page) return book.failure;
  return fossbilling_page(*rows, page, per_page);
}

// The stand-in server: `book` answered over real HTTP on 127.0.0.1, every request recorded.
class FossbillingStandIn {
 public:
  explicit FossbillingStandIn(FossbillingBook book = fossbilling_sample_book())
      : book_(std::move(book)), server_([this](const FakeRequest& request) {
          const std::lock_guard<std::mutex> lock(mutex_);
          return fossbilling_answer(book_, request);
        }) {}

  std::string url() const { return server_.url(); }
  std::vector<FakeRequest> requests() const { return server_.requests(); }
  std::string api_key() {
    const std::lock_guard<std::mutex> lock(mutex_);
    return book_.api_key;
  }

  // Changes the book between passes, under the lock the server's thread reads it with.
  void change(const std::function<void(FossbillingBook&)>& edit) {
    const std::lock_guard<std::mutex> lock(mutex_);
    edit(book_);
  }

 private:
  std::mutex mutex_;
  FossbillingBook book_;
  FakePanel server_;  // last: stopped before the book it reads goes away
};

}  // namespace cobrador::testing
