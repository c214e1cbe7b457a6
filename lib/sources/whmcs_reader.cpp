// Implements sources/whmcs_reader.hpp.
#include "sources/whmcs_reader.hpp"

#include <algorithm>
#include <set>
#include <unordered_map>

#include <fmt/format.h>

#include "hooks/form_encoding.hpp"
#include "sources/json_fields.hpp"
#include "sources/phone_number.hpp"

namespace cobrador::sources {

namespace {

using nlohmann::json;

// WHMCS's languages are its language files' names; the ones cobrador has notices for.
std::string locale_of(const std::string& language, const std::string& fallback) {
  if (language == "english") return "en";
  if (language == "spanish") return "es";
  if (language.rfind("portuguese", 0) == 0) return "pt-BR";
  return fallback;
}

// "+55.11987654321" as WHMCS formats it, or its country code and number apart.
std::string phone_of(const std::string& formatted, const std::string& country_code,
                     const std::string& number) {
  if (!digits_of(formatted).empty()) return "+" + digits_of(formatted);
  return international_phone(country_code, number);
}

class WhmcsApi {
 public:
  WhmcsApi(const SourceAccess& source, const Fetch& fetch, SourceBook& book)
      : source_(source), fetch_(fetch), book_(book) {}

  // One call; `what` names it in errors ("GetInvoices (limitstart 250)").
  Result<json> call(const std::string& action, hooks::FormFields params, const std::string& what) {
    params.insert(params.begin(), {{"identifier", source_.identifier},
                                   {"secret", source_.secret},
                                   {"action", action},
                                   {"responsetype", "json"}});
    net::HttpRequest request;
    request.method = "POST";
    request.url = source_.config.url + "/includes/api.php";
    request.headers = {{"Content-Type", "application/x-www-form-urlencoded"}, {"Accept", "application/json"}};
    request.body = hooks::encode_form(params);
    request.timeout = source_.config.timeout;
    request.verify_tls = source_.config.verify_tls;
    ++book_.calls;
    const auto response = fetch_(std::move(request));
    const auto failed = [&](const std::string& why) {
      return make_error(fmt::format("whmcs source '{}': {}: {}", source_.name, what, why));
    };
    if (!response.ok()) return failed(response.error);
    const auto body = json::parse(response.body, nullptr, false);
    // WHMCS answers a refusal with HTTP 200 and result "error": the result decides, not the status.
    if (body.is_object() && body.value("result", "") == "error") {
      const auto message = body.contains("message") && body["message"].is_string()
                               ? body["message"].get<std::string>()
                               : std::string("an error without a message");
      return failed(fmt::format("{} (HTTP {})", message, response.status));
    }
    if (response.status != 200) return failed(fmt::format("HTTP {}", response.status));
    if (!body.is_object() || body.value("result", "") != "success")
      return failed("the answer is not WHMCS's JSON with result \"success\"");
    return body;
  }

  // Every page of a list action: `list` and `item` name its double wrapping (clients.client).
  Status each(const std::string& action, hooks::FormFields params, const std::string& list,
              const std::string& item, const std::function<Status(const json&, const std::string&)>& take) {
    const auto size = std::to_string(source_.config.page_size);
    long long start = 0;
    for (;;) {
      const auto what = fmt::format("{} (limitstart {})", action, start);
      auto fields = params;
      fields.push_back({"limitstart", std::to_string(start)});
      fields.push_back({"limitnum", size});
      auto page = call(action, fields, what);
      if (!page) return page.error();
      const auto total = text_field(*page, "totalresults", "");
      if (!total)
        return make_error(
            fmt::format("whmcs source '{}': {}: {}", source_.name, what, total.error().message));
      long long returned = 0;
      const json* items = nullptr;
      if (page->contains(list) && (*page)[list].is_object() && (*page)[list].contains(item))
        items = &(*page)[list][item];
      const auto listed = items ? list_items(*items) : std::vector<const json*>{};
      for (std::size_t i = 0; i < listed.size(); ++i) {
        auto taken = take(*listed[i], fmt::format("/{}/{}/{}", list, item, i));
        if (!taken)
          return make_error(
              fmt::format("whmcs source '{}': {}: {}", source_.name, what, taken.error().message));
        ++returned;
      }
      start += returned;
      long long all = 0;
      try {
        all = total->empty() ? 0 : std::stoll(*total);
      } catch (const std::exception&) {
        return make_error(fmt::format("whmcs source '{}': {}: /totalresults: '{}' is not a count",
                                      source_.name, what, *total));
      }
      if (returned == 0 || start >= all) return Ok{};
    }
  }

 private:
  const SourceAccess& source_;
  const Fetch& fetch_;
  SourceBook& book_;
};

struct Reading {
  const SourceAccess& source;
  WhmcsApi api;
  SourceBook& book;
  std::unordered_map<std::string, std::string> currency_of;  // client id → currency code
  std::set<std::string> services;                            // service ids read (WHMCS's)

  std::string id(const std::string& whmcs_id) const { return source_id(source.name, whmcs_id); }

  Status clients() {
    std::vector<std::pair<std::string, std::string>> listed;  // id, datecreated
    auto read = api.each("GetClients", {{"orderby", "id"}, {"sorting", "ASC"}}, "clients", "client",
                         [&](const json& client, const std::string& where) -> Status {
                           auto client_id = id_field(client, "id", where);
                           if (!client_id) return client_id.error();
                           auto since = date_field(client, "datecreated", where);
                           if (!since) return since.error();
                           listed.emplace_back(*client_id, *since);
                           return Ok{};
                         });
    if (!read) return read;
    std::set<std::string> seen;
    for (const auto& [client_id, since] : listed) {
      if (!seen.insert(client_id).second) continue;  // a client added during the pass shifts a page
      auto details = api.call("GetClientsDetails", {{"clientid", client_id}, {"stats", "false"}},
                              fmt::format("GetClientsDetails (clientid {})", client_id));
      if (!details) return details.error();
      const auto& client = (*details)["client"];
      const std::string where = "/client";
      const auto field = [&](const std::string& key) { return text_field(client, key, where); };
      auto first = field("firstname"), last = field("lastname"), company = field("companyname"),
           email = field("email"), formatted = field("phonenumberformatted"), cc = field("phonecc"),
           number = field("phonenumber"), language = field("language"), currency = field("currency_code");
      for (const auto* got :
           {&first, &last, &company, &email, &formatted, &cc, &number, &language, &currency})
        if (!*got)
          return make_error(fmt::format("whmcs source '{}': GetClientsDetails (clientid {}): {}", source.name,
                                        client_id, got->error().message));
      std::string name = *company;
      if (name.empty()) name = *first + (first->empty() || last->empty() ? "" : " ") + *last;
      if (name.empty()) name = *email;
      json row{{"id", id(client_id)},
               {"name", name},
               {"email", *email},
               {"phone", phone_of(*formatted, *cc, *number)},
               {"locale", locale_of(*language, source.config.locale)}};
      if (!since.empty()) row["customer_since"] = since;
      book.customers.add(row);
      currency_of[client_id] = *currency;
    }
    return Ok{};
  }

  // Only the services a panel can act on: active and suspended ones (WHMCS's Pending,
  // Terminated, Cancelled, Fraud and Completed are left out).
  Status products() {
    return api.each("GetClientsProducts", {}, "products", "product",
                    [&](const json& product, const std::string& where) -> Status {
                      auto service_id = id_field(product, "id", where);
                      if (!service_id) return service_id.error();
                      auto client_id = id_field(product, "clientid", where);
                      if (!client_id) return client_id.error();
                      auto status = text_field(product, "status", where);
                      if (!status) return status.error();
                      if (*status != "Active" && *status != "Suspended") return Ok{};
                      const auto currency = currency_of.find(*client_id);
                      if (currency == currency_of.end() || !services.insert(*service_id).second) return Ok{};
                      auto pid = text_field(product, "pid", where);
                      if (!pid) return pid.error();
                      const auto mapped = source.config.products.find(*pid);
                      const config::ProductMapping mapping =
                          mapped == source.config.products.end() ? config::ProductMapping{} : mapped->second;
                      std::string account = *service_id;
                      if (mapping.account == "username") {
                        auto username = text_field(product, "username", where);
                        if (!username) return username.error();
                        account = *username;
                      }
                      json row{{"id", id(*service_id)},
                               {"customer_id", id(*client_id)},
                               {"kind", mapping.kind.empty() ? source.config.default_kind : mapping.kind},
                               {"panel", mapping.panel.empty() ? source.config.default_panel : mapping.panel},
                               {"account", account}};
                      if (!currency->second.empty()) {
                        auto amount = amount_field(product, "recurringamount", where, currency->second);
                        if (!amount) return amount.error();
                        row["recurring_amount"] = format_amount(*amount);
                        row["recurring_currency"] = currency->second;
                      }
                      book.services.add(row);
                      return Ok{};
                    });
  }

  // Every invoice: the open ones to chase, and the ones that stopped being open (paid,
  // cancelled, refunded), which end an episode. Drafts are not the customer's yet.
  Status invoices() {
    std::vector<json> open;  // rows whose services GetInvoice tells
    std::vector<std::string> open_ids;
    std::set<std::string> seen;
    auto read = api.each(
        "GetInvoices", {{"orderby", "id"}, {"order", "asc"}}, "invoices", "invoice",
        [&](const json& invoice, const std::string& where) -> Status {
          auto invoice_id = id_field(invoice, "id", where);
          if (!invoice_id) return invoice_id.error();
          auto client_id = id_field(invoice, "userid", where);
          if (!client_id) return client_id.error();
          auto status = text_field(invoice, "status", where);
          if (!status) return status.error();
          if (*status == "Draft" || !currency_of.count(*client_id) || !seen.insert(*invoice_id).second)
            return Ok{};
          const std::string state = *status == "Paid"                                 ? "paid"
                                    : *status == "Cancelled" || *status == "Refunded" ? "void"
                                                                                      : "open";
          auto currency = text_field(invoice, "currencycode", where);
          if (!currency) return currency.error();
          auto amount = amount_field(invoice, "total", where, *currency);
          if (!amount) return amount.error();
          auto issued = date_field(invoice, "date", where);
          if (!issued) return issued.error();
          auto due = date_field(invoice, "duedate", where);
          if (!due) return due.error();
          if (due->empty()) return make_error(fmt::format("{}/duedate: is missing", where));
          json row{{"id", id(*invoice_id)},
                   {"customer_id", id(*client_id)},
                   {"amount", format_amount(*amount)},
                   {"currency", *currency},
                   {"due_on", *due},
                   {"status", state}};
          if (!issued->empty() && *issued <= *due) row["issued_on"] = *issued;
          // An open invoice waits for GetInvoice to tell the services it bills.
          if (state == "open") {
            open.push_back(std::move(row));
            open_ids.push_back(*invoice_id);
          } else {
            book.invoices.add(row);
          }
          return Ok{};
        });
    if (!read) return read;
    for (std::size_t i = 0; i < open.size(); ++i) {
      const auto what = fmt::format("GetInvoice (invoiceid {})", open_ids[i]);
      auto invoice = api.call("GetInvoice", {{"invoiceid", open_ids[i]}}, what);
      if (!invoice) return invoice.error();
      std::vector<std::string> billed;
      const json* items = nullptr;
      if (invoice->contains("items") && (*invoice)["items"].is_object() &&
          (*invoice)["items"].contains("item"))
        items = &(*invoice)["items"]["item"];
      const auto listed = items ? list_items(*items) : std::vector<const json*>{};
      for (std::size_t n = 0; n < listed.size(); ++n) {
        const auto where = fmt::format("/items/item/{}", n);
        auto type = text_field(*listed[n], "type", where);
        auto relid = text_field(*listed[n], "relid", where);
        if (!type || !relid)
          return make_error(fmt::format("whmcs source '{}': {}: {}", source.name, what,
                                        (!type ? type : relid).error().message));
        // A Hosting item's relid is the service it bills.
        if (*type != "Hosting" || !services.count(*relid)) continue;
        const auto service = id(*relid);
        if (std::find(billed.begin(), billed.end(), service) == billed.end()) billed.push_back(service);
      }
      if (!billed.empty()) open[i]["services"] = fmt::format("{}", fmt::join(billed, ";"));
      if (auto paid = payments(*invoice, open[i], what); !paid) return paid;
      book.invoices.add(open[i]);
    }
    return Ok{};
  }

  // The money WHMCS has on an open invoice (a partial payment taken by WHMCS's own gateways or
  // by its staff): one confirmed payment a transaction, its amount in less the amount out, so
  // that cobrador chases what is still owed. The transactions cobrador wrote itself (their
  // transid a bank entry's) are left out by the pass (sources/sync.cpp), not read twice.
  Status payments(const json& invoice, const json& row, const std::string& what) {
    const json* transactions = nullptr;
    if (invoice.contains("transactions") && invoice["transactions"].is_object() &&
        invoice["transactions"].contains("transaction"))
      transactions = &invoice["transactions"]["transaction"];
    const auto listed = transactions ? list_items(*transactions) : std::vector<const json*>{};
    const auto currency = row["currency"].get<std::string>();
    for (std::size_t n = 0; n < listed.size(); ++n) {
      const auto where = fmt::format("/transactions/transaction/{}", n);
      const auto& transaction = *listed[n];
      const auto failed = [&](const Error& error) {
        return make_error(fmt::format("whmcs source '{}': {}: {}", source.name, what, error.message));
      };
      auto transaction_id = id_field(transaction, "id", where);
      if (!transaction_id) return failed(transaction_id.error());
      auto in = amount_field(transaction, "amountin", where, currency);
      if (!in) return failed(in.error());
      auto out = transaction.contains("amountout") ? amount_field(transaction, "amountout", where, currency)
                                                   : Result<Money>(Money{0, in->currency});
      if (!out) return failed(out.error());
      auto day = date_field(transaction, "date", where);
      if (!day) return failed(day.error());
      auto transid = text_field(transaction, "transid", where);
      if (!transid) return failed(transid.error());
      auto gateway = text_field(transaction, "gateway", where);
      if (!gateway) return failed(gateway.error());
      // A refund alone (money out) does not reopen anything: WHMCS's status says that.
      if (in->minor <= out->minor || day->empty()) continue;
      book.payments.add({{"id", id("t" + *transaction_id)},
                         {"invoice_id", row["id"]},
                         {"amount", format_amount(Money{in->minor - out->minor, in->currency})},
                         {"currency", currency},
                         {"method", gateway->empty() ? "whmcs" : *gateway},
                         {"source", source.name},
                         {"reference", *transid},
                         {"status", "confirmed"},
                         {"received_on", *day}});
    }
    return Ok{};
  }
};

}  // namespace

Result<bool> whmcs_has_invoice(const SourceAccess& source, const Fetch& fetch, const std::string& id) {
  SourceBook calls;  // counts the one call; nothing is read into it
  auto answer = WhmcsApi(source, fetch, calls)
                    .call("GetInvoice", {{"invoiceid", id}}, fmt::format("GetInvoice (invoiceid {})", id));
  if (answer) return true;
  if (answer.error().message.find("Invoice ID Not Found") != std::string::npos) return false;
  return answer.error();
}

Result<SourceBook> read_whmcs(const SourceAccess& source, const Fetch& fetch) {
  SourceBook book;
  Reading reading{source, WhmcsApi(source, fetch, book), book, {}, {}};
  if (auto done = reading.clients(); !done) return done.error();
  if (auto done = reading.products(); !done) return done.error();
  if (auto done = reading.invoices(); !done) return done.error();
  return book;
}

}  // namespace cobrador::sources
