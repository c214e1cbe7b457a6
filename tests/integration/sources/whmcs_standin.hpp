// A WHMCS stand-in for the connector tests: a real HTTP server on 127.0.0.1 answering the
// classic API (POST /includes/api.php, form fields, identifier and secret) as WHMCS's developer
// documentation shows it (developers.whmcs.com/api-reference): lists wrapped twice
// (clients.client[]), paged with limitstart/limitnum and totalresults/startnumber/numreturned,
// amounts as strings, ids sometimes numbers and sometimes strings, and a refusal as HTTP 200
// with result "error" (an authentication failure as HTTP 403, as reported in the field).
// The book is the tests' to change between passes; every request is recorded.
#pragma once

#include <algorithm>
#include <mutex>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "hooks/form_encoding.hpp"
#include "support/fake_panel.hpp"

namespace cobrador::testing {

class WhmcsStandIn {
 public:
  static constexpr const char* kIdentifier = "D4j1dKYE3g40VROOPCGyJ9zRwPz15jc4";
  static constexpr const char* kSecret = "F1CKGXRIpylMfsrig3mwwdSdYUdLiFlo";

  WhmcsStandIn() : server_([this](const FakeRequest& request) { return answer(request); }) {}

  std::string url() const { return server_.url(); }
  std::vector<FakeRequest> requests() const { return server_.requests(); }

  // The actions asked, in order ("GetClients", "ModuleSuspend serviceid=101" for module calls).
  std::vector<std::string> actions() const {
    std::vector<std::string> out;
    for (const auto& request : server_.requests()) {
      const auto form = hooks::decode_form(request.body);
      const auto action = hooks::form_value(form, "action");
      out.push_back(action.rfind("Module", 0) == 0
                        ? action + " serviceid=" + hooks::form_value(form, "serviceid")
                        : action);
    }
    return out;
  }

  // What AddInvoicePayment and AddTransaction recorded, in order.
  nlohmann::json transactions() const {
    std::lock_guard lock(mutex_);
    return transactions_;
  }

  // A payment taken in WHMCS itself (its gateway, or staff's Add Payment) on an invoice.
  void add_transaction(int invoice, const std::string& transid, const std::string& amount,
                       const std::string& date) {
    std::lock_guard lock(mutex_);
    for (const auto& each : invoices_)
      if (each["id"] == invoice)
        transactions_.push_back({{"id", transactions_.size() + 1},
                                 {"userid", each["userid"]},
                                 {"invoiceid", invoice},
                                 {"transid", transid},
                                 {"gateway", "mailin"},
                                 {"date", date},
                                 {"amountin", amount},
                                 {"amountout", "0.00"}});
  }

  // Deletes an invoice, as an admin can in WHMCS: it leaves the lists, and GetInvoice answers
  // "Invoice ID Not Found".
  void delete_invoice(int id) {
    std::lock_guard lock(mutex_);
    for (auto it = invoices_.begin(); it != invoices_.end(); ++it)
      if ((*it)["id"] == id) {
        invoices_.erase(it);
        return;
      }
  }

  // Leaves an invoice out of GetInvoices (as a page that shifted during a pass does) while
  // GetInvoice still answers it.
  void hide_from_list(int id) {
    std::lock_guard lock(mutex_);
    hidden_ = id;
  }

  // The status WHMCS has for an invoice ("Paid", "Unpaid"...).
  std::string invoice_status(int id) const {
    std::lock_guard lock(mutex_);
    for (const auto& invoice : invoices_)
      if (invoice["id"] == id) return invoice["status"].get<std::string>();
    return "";
  }

  // Sets the status (and the paid date) of an invoice.
  void set_invoice_status(int id, const std::string& status, const std::string& paid) {
    std::lock_guard lock(mutex_);
    for (auto& invoice : invoices_)
      if (invoice["id"] == id) {
        invoice["status"] = status;
        invoice["datepaid"] = paid;
      }
  }

  // From now on GetInvoices at this offset answers `message` as WHMCS refuses (HTTP 200).
  void fail_invoices_at(int limitstart, std::string message) {
    std::lock_guard lock(mutex_);
    failing_offset_ = limitstart;
    failing_message_ = std::move(message);
  }

 private:
  using json = nlohmann::json;

  // WHMCS keeps an amount not given as 0.00.
  static std::string or_zero(const std::string& amount) { return amount.empty() ? "0.00" : amount; }

  static FakeResponse reply(int status, const json& body) {
    return FakeResponse{status, {{"Content-Type", "application/json"}}, body.dump(), {}};
  }

  // One page of `all` as WHMCS pages a list (default limitnum 25).
  static json page(const json& all, const hooks::FormFields& form, const char* list, const char* item,
                   bool counts_as_strings) {
    const auto start_text = hooks::form_value(form, "limitstart");
    const auto size_text = hooks::form_value(form, "limitnum");
    const std::size_t start = start_text.empty() ? 0 : std::stoul(start_text);
    const std::size_t size = size_text.empty() ? 25 : std::stoul(size_text);
    json items = json::array();
    for (std::size_t i = start; i < all.size() && i < start + size; ++i) items.push_back(all[i]);
    const auto count = [&](std::size_t n) { return counts_as_strings ? json(std::to_string(n)) : json(n); };
    return {{"result", "success"},
            {"totalresults", count(all.size())},
            {"startnumber", start},
            {"numreturned", count(items.size())},
            {list, {{item, items}}}};
  }

  FakeResponse answer(const FakeRequest& request) {
    std::lock_guard lock(mutex_);
    if (request.method != "POST" || request.path != "/includes/api.php")
      return FakeResponse{404, {}, "Not Found"};
    const auto form = hooks::decode_form(request.body);
    if (hooks::form_value(form, "identifier") != kIdentifier || hooks::form_value(form, "secret") != kSecret)
      return reply(403, {{"result", "error"}, {"message", "Authentication Failed"}});
    const auto action = hooks::form_value(form, "action");
    if (action == "GetClients") {
      json listed = json::array();
      for (const auto& client : clients_)
        listed.push_back({{"id", client["id"]},
                          {"firstname", client["firstname"]},
                          {"lastname", client["lastname"]},
                          {"companyname", client["companyname"]},
                          {"email", client["email"]},
                          {"datecreated", client["datecreated"]},
                          {"groupid", 0},
                          {"status", "Active"}});
      return reply(200, page(listed, form, "clients", "client", false));
    }
    if (action == "GetClientsDetails") {
      const auto id = hooks::form_value(form, "clientid");
      for (const auto& client : clients_)
        if (std::to_string(client["id"].get<int>()) == id) {
          auto details = client;
          details["userid"] = client["id"];
          details["client_id"] = client["id"];
          return reply(200, {{"result", "success"}, {"client", details}, {"stats", json::object()}});
        }
      return reply(200, {{"result", "error"}, {"message", "Client Not Found"}});
    }
    if (action == "GetClientsProducts") return reply(200, page(products_, form, "products", "product", true));
    if (action == "GetInvoices") {
      const auto start = hooks::form_value(form, "limitstart");
      if (failing_offset_ >= 0 && start == std::to_string(failing_offset_))
        return reply(200, {{"result", "error"}, {"message", failing_message_}});
      json listed = json::array();
      for (const auto& invoice : invoices_) {
        if (invoice["id"] == hidden_) continue;
        auto entry = invoice;
        entry.erase("items");
        listed.push_back(entry);
      }
      return reply(200, page(listed, form, "invoices", "invoice", false));
    }
    if (action == "GetInvoice") {
      const auto id = hooks::form_value(form, "invoiceid");
      for (const auto& invoice : invoices_)
        if (std::to_string(invoice["id"].get<int>()) == id) {
          json answer = invoice;
          answer.erase("id");
          answer["result"] = "success";
          answer["invoiceid"] = invoice["id"];
          answer["balance"] = invoice["status"] == "Paid" ? "0.00" : invoice["total"];
          // As WHMCS: the invoice's transactions, or "" when it has none.
          json listed = json::array();
          for (const auto& transaction : transactions_)
            if (transaction["invoiceid"] == invoice["id"]) {
              auto entry = transaction;
              if (!entry.contains("amountin")) entry["amountin"] = "0.00";
              if (!entry.contains("amountout")) entry["amountout"] = "0.00";
              listed.push_back(entry);
            }
          if (listed.empty())
            answer["transactions"] = "";
          else
            answer["transactions"] = {{"transaction", listed}};
          return reply(200, answer);
        }
      return reply(200, {{"result", "error"}, {"message", "Invoice ID Not Found"}});
    }
    if (action == "GetTransactions") {
      json found = json::array();
      for (const auto& transaction : transactions_) {
        const auto invoice = hooks::form_value(form, "invoiceid");
        const auto transid = hooks::form_value(form, "transid");
        if ((invoice.empty() || std::to_string(transaction["invoiceid"].get<int>()) == invoice) &&
            (transid.empty() || transaction["transid"] == transid))
          found.push_back(transaction);
      }
      return reply(200, {{"result", "success"},
                         {"totalresults", found.size()},
                         {"startnumber", 0},
                         {"numreturned", found.size()},
                         {"transactions", {{"transaction", found}}}});
    }
    if (action == "AddInvoicePayment") {
      const auto id = hooks::form_value(form, "invoiceid");
      for (auto& invoice : invoices_) {
        if (std::to_string(invoice["id"].get<int>()) != id) continue;
        if (invoice["status"] == "Cancelled")
          return reply(200,
                       {{"result", "error"},
                        {"message", "It is not possible to add a payment to an invoice that is Cancelled"}});
        transactions_.push_back({{"id", transactions_.size() + 1},
                                 {"userid", invoice["userid"]},
                                 {"invoiceid", invoice["id"]},
                                 {"transid", hooks::form_value(form, "transid")},
                                 {"gateway", hooks::form_value(form, "gateway")},
                                 {"date", hooks::form_value(form, "date")},
                                 {"amountin", hooks::form_value(form, "amount")}});
        if (hooks::form_value(form, "amount") == invoice["total"]) {
          invoice["status"] = "Paid";
          invoice["datepaid"] = hooks::form_value(form, "date");
        }
        return reply(200, {{"result", "success"}});
      }
      return reply(200, {{"result", "error"}, {"message", "Invoice ID Not Found"}});
    }
    if (action == "AddTransaction") {
      // Documented: paymentmethod is required; an invoice id must exist; a transaction id seen
      // before is refused unless allowduplicatetransid.
      if (hooks::form_value(form, "paymentmethod").empty())
        return reply(200, {{"result", "error"}, {"message", "Payment Method is required"}});
      const auto transid = hooks::form_value(form, "transid");
      for (const auto& transaction : transactions_)
        if (!transid.empty() && transaction["transid"] == transid)
          return reply(200, {{"result", "error"}, {"message", "Transaction ID must be unique"}});
      const auto id = hooks::form_value(form, "invoiceid");
      for (const auto& invoice : invoices_) {
        if (std::to_string(invoice["id"].get<int>()) != id) continue;
        transactions_.push_back({{"id", transactions_.size() + 1},
                                 {"userid", invoice["userid"]},
                                 {"invoiceid", invoice["id"]},
                                 {"transid", transid},
                                 {"gateway", hooks::form_value(form, "paymentmethod")},
                                 {"description", hooks::form_value(form, "description")},
                                 {"amountin", or_zero(hooks::form_value(form, "amountin"))},
                                 {"amountout", or_zero(hooks::form_value(form, "amountout"))}});
        return reply(200, {{"result", "success"}});
      }
      return reply(200, {{"result", "error"}, {"message", "Invoice ID Not Found"}});
    }
    if (action == "UpdateInvoice") {
      const auto id = hooks::form_value(form, "invoiceid");
      for (auto& invoice : invoices_) {
        if (std::to_string(invoice["id"].get<int>()) != id) continue;
        if (const auto status = hooks::form_value(form, "status"); !status.empty()) {
          invoice["status"] = status;
          if (status != "Paid") invoice["datepaid"] = "0000-00-00 00:00:00";
        }
        return reply(200, {{"result", "success"}, {"invoiceid", invoice["id"]}});
      }
      return reply(200, {{"result", "error"}, {"message", "Invoice ID Not Found"}});
    }
    if (action == "ModuleSuspend" || action == "ModuleUnsuspend" || action == "ModuleTerminate")
      return reply(200, {{"result", "success"}});
    return reply(200, {{"result", "error"}, {"message", "Command Not Found"}});
  }

  static json client(int id, const char* first, const char* last, const char* company, const char* email,
                     const char* phone, const char* language, const char* currency, const char* since) {
    return {{"id", id},
            {"firstname", first},
            {"lastname", last},
            {"fullname", std::string(first) + " " + last},
            {"companyname", company},
            {"email", email},
            {"phonenumberformatted", phone},
            {"language", language},
            {"currency", 1},
            {"currency_code", currency},
            {"status", "Active"},
            {"credit", "0.00"},
            {"datecreated", since}};
  }

  static json product(int id, int client, int pid, const char* status, const char* username,
                      const char* amount) {
    return {{"id", std::to_string(id)},
            {"clientid", std::to_string(client)},
            {"pid", std::to_string(pid)},
            {"status", status},
            {"username", username},
            {"recurringamount", amount},
            {"billingcycle", "Monthly"},
            {"password", "xxxxxxxx"},
            {"overidesuspenduntil", "0000-00-00"}};
  }

  static json invoice(int id, int client, const char* status, const char* date, const char* due,
                      const char* total, const char* currency, std::vector<int> services) {
    json items = json::array();
    for (const int service : services)
      items.push_back({{"id", id * 10 + service},
                       {"type", "Hosting"},
                       {"relid", service},
                       {"description", "Monthly plan"},
                       {"amount", total},
                       {"taxed", 0}});
    items.push_back({{"id", id * 10},
                     {"type", "LateFee"},
                     {"relid", 0},
                     {"description", "Late fee"},
                     {"amount", "0.00"},
                     {"taxed", 0}});
    return {{"id", id},
            {"userid", client},
            {"invoicenum", ""},
            {"date", date},
            {"duedate", due},
            {"datepaid", std::string(status) == "Paid" ? "2026-11-02 10:00:00" : "0000-00-00 00:00:00"},
            {"subtotal", total},
            {"total", total},
            {"status", status},
            {"currencycode", currency},
            {"items", {{"item", items}}}};
  }

  mutable std::mutex mutex_;
  int hidden_ = 0;  // an invoice GetInvoices leaves out
  // Three clients, six services of which one is terminated, eight invoices of which one is a
  // draft: a book of 3 customers, 5 services and 7 invoices here.
  json clients_ = json::array({
      client(1, "Ana", "Souza", "", "ana@example.com", "+55.11987650001", "portuguese-br", "BRL",
             "2025-01-10"),
      client(2, "Bruno", "Lima", "Hosting Ltda", "bruno@example.com", "+55.21987650002", "english", "BRL",
             "2025-03-02"),
      client(3, "Carla", "Ruiz", "", "carla@example.com", "", "spanish", "USD", "2026-02-14 09:30:00"),
  });
  json products_ = json::array({
      product(101, 1, 1, "Active", "anasouza", "49.90"),
      product(102, 1, 2, "Active", "anamail", "9.90"),
      product(201, 2, 1, "Suspended", "hostingltda", "120.00"),
      product(301, 3, 1, "Active", "carla", "15.00"),
      product(302, 3, 3, "Active", "carlavps", "30.00"),
      product(303, 3, 1, "Terminated", "carlaold", "15.00"),
  });
  json invoices_ = json::array({
      invoice(1001, 1, "Unpaid", "2026-11-10", "2026-11-20", "49.90", "BRL", {101}),
      invoice(1002, 1, "Paid", "2026-10-10", "2026-10-20", "49.90", "BRL", {101}),
      invoice(1003, 2, "Unpaid", "2026-11-15", "2026-11-25", "120.00", "BRL", {201}),
      invoice(1004, 2, "Cancelled", "2026-10-15", "2026-10-25", "120.00", "BRL", {201}),
      invoice(1005, 3, "Unpaid", "2026-12-10", "2026-12-20", "45.00", "USD", {301, 302}),
      invoice(1006, 3, "Refunded", "2026-09-10", "2026-09-20", "15.00", "USD", {301}),
      invoice(1007, 3, "Paid", "2026-10-10", "2026-10-20", "45.00", "USD", {301, 302}),
      invoice(1008, 3, "Draft", "2026-12-01", "2026-12-30", "45.00", "USD", {301}),
  });
  json transactions_ = json::array();  // what AddInvoicePayment recorded
  int failing_offset_ = -1;
  std::string failing_message_;
  FakePanel server_;  // last: it answers from the members above, so it stops first
};

}  // namespace cobrador::testing
