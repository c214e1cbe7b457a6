// The sync benchmark's simulated WHMCS (bench/sync_bench.sh, issue 24): `sync_bench serve
// CLIENTS` answers WHMCS's classic API on 127.0.0.1 — GetClients, GetClientsDetails,
// GetClientsProducts, GetInvoices and GetInvoice, paged with limitstart/limitnum as WHMCS pages
// them, amounts as strings — for a generated book of CLIENTS clients, one service each, four
// invoices each (one in ten unpaid), and prints its port. The book is computed from the row
// numbers on every request, so that the server's own cost stays small and flat.
#include <utility>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <cstdio>
#include <iostream>
#include <string>
#include <functional>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "hooks/form_encoding.hpp"

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using nlohmann::json;

constexpr int kInvoicesPerClient = 4;

struct Book {
  long clients = 0;

  long invoices() const { return clients * kInvoicesPerClient; }
  // Invoice n (1-based) belongs to client (n - 1) / 4 + 1; one in ten is unpaid.
  static bool unpaid(long n) { return n % 10 == 3; }

  json client_row(long id) const {
    return {{"id", id},
            {"firstname", fmt::format("Client{}", id)},
            {"lastname", "Example"},
            {"companyname", id % 3 == 0 ? fmt::format("Company {}", id) : ""},
            {"email", fmt::format("client{}@example.com", id)},
            {"datecreated", "2025-01-15"},
            {"groupid", 0},
            {"status", "Active"}};
  }

  json details(long id) const {
    auto client = client_row(id);
    client["phonenumberformatted"] = fmt::format("+55.119{:08}", id);
    client["language"] = id % 2 ? "portuguese-br" : "english";
    client["currency_code"] = "BRL";
    client["currency"] = 1;
    return {{"result", "success"}, {"client", client}, {"stats", json::object()}};
  }

  json product_row(long id) const {
    return {{"id", std::to_string(id)},
            {"clientid", std::to_string(id)},
            {"pid", std::to_string(1 + id % 3)},
            {"status", "Active"},
            {"username", fmt::format("user{}", id)},
            {"recurringamount", "49.90"},
            {"billingcycle", "Monthly"}};
  }

  json invoice_row(long n) const {
    const long client = (n - 1) / kInvoicesPerClient + 1;
    const int month = static_cast<int>(8 + (n - 1) % kInvoicesPerClient);
    return {{"id", n},
            {"userid", client},
            {"date", fmt::format("2026-{:02}-01", month)},
            {"duedate", fmt::format("2026-{:02}-10", month)},
            {"datepaid", unpaid(n) ? "0000-00-00 00:00:00" : fmt::format("2026-{:02}-09 10:00:00", month)},
            {"total", "49.90"},
            {"status", unpaid(n) ? "Unpaid" : "Paid"},
            {"currencycode", "BRL"}};
  }

  json invoice(long n) const {
    auto answer = invoice_row(n);
    answer.erase("id");
    answer["result"] = "success";
    answer["invoiceid"] = n;
    answer["balance"] = unpaid(n) ? "49.90" : "0.00";
    answer["items"] = {{"item", json::array({{{"id", n},
                                              {"type", "Hosting"},
                                              {"relid", (n - 1) / kInvoicesPerClient + 1},
                                              {"description", "Hosting"},
                                              {"amount", "49.90"},
                                              {"taxed", 0}}})}};
    answer["transactions"] = "";
    return answer;
  }

  // One page of a list of `total` rows as WHMCS answers it.
  template <class Row>
  static json page(const cobrador::hooks::FormFields& form, long total, const char* list, const char* item,
                   Row row) {
    const auto start_text = cobrador::hooks::form_value(form, "limitstart");
    const auto size_text = cobrador::hooks::form_value(form, "limitnum");
    const long start = start_text.empty() ? 0 : std::stol(start_text);
    const long size = size_text.empty() ? 25 : std::stol(size_text);
    json items = json::array();
    for (long i = start; i < total && i < start + size; ++i) items.push_back(row(i + 1));
    return {{"result", "success"},
            {"totalresults", total},
            {"startnumber", start},
            {"numreturned", items.size()},
            {list, {{item, std::move(items)}}}};
  }

  json answer(const std::string& body) const {
    const auto form = cobrador::hooks::decode_form(body);
    const auto action = cobrador::hooks::form_value(form, "action");
    if (action == "GetClients")
      return page(form, clients, "clients", "client", [this](long id) { return client_row(id); });
    if (action == "GetClientsDetails")
      return details(std::stol(cobrador::hooks::form_value(form, "clientid")));
    if (action == "GetClientsProducts")
      return page(form, clients, "products", "product", [this](long id) { return product_row(id); });
    if (action == "GetInvoices")
      return page(form, invoices(), "invoices", "invoice", [this](long n) { return invoice_row(n); });
    if (action == "GetInvoice") return invoice(std::stol(cobrador::hooks::form_value(form, "invoiceid")));
    return {{"result", "error"}, {"message", "Command Not Found"}};
  }
};

// One connection: requests answered in turn until the client closes it.
void serve_connection(tcp::socket socket, const Book& book) {
  beast::flat_buffer buffer;
  beast::error_code ec;
  for (;;) {
    http::request<http::string_body> request;
    http::read(socket, buffer, request, ec);
    if (ec) return;
    http::response<http::string_body> response{http::status::ok, request.version()};
    response.set(http::field::content_type, "application/json");
    response.keep_alive(request.keep_alive());
    response.body() = book.answer(request.body()).dump();
    response.prepare_payload();
    http::write(socket, response, ec);
    if (ec || !request.keep_alive()) return;
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3 || std::string(argv[1]) != "serve") {
    std::cerr << "usage: sync_bench serve CLIENTS\n";
    return 2;
  }
  Book book;
  book.clients = std::stol(argv[2]);
  asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  std::cout << acceptor.local_endpoint().port() << std::endl;
  for (;;) {
    tcp::socket socket(io);
    acceptor.accept(socket);
    socket.set_option(tcp::no_delay(true));
    std::thread(serve_connection, std::move(socket), std::cref(book)).detach();
  }
}
