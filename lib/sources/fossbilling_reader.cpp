// Implements sources/fossbilling_reader.hpp: FOSSBilling's admin API (0.7 and 0.8) read page by
// page into the import's rows. Facts about the API are in docs/connectors.md.
#include "sources/fossbilling_reader.hpp"

#include <algorithm>
#include <cstdint>
#include <exception>
#include <iterator>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "sources/json_fields.hpp"
#include "sources/phone_number.hpp"
#include "util/crypto.hpp"

namespace cobrador::sources {

namespace {
// Its own namespace too: the area is compiled in unity batches with the other readers.
namespace fossbilling {

using nlohmann::json;

// FOSSBilling 0.8 refuses a larger page ("The number of items per page (per_page) is too large").
constexpr int max_per_page = 500;

// The orders cobrador can act on. One being set up (pending_setup, failed_setup) runs nothing
// yet, and a cancelled one nothing any more.
bool actionable(const std::string& status) {
  return status == "active" || status == "suspended" || status == "failed_renew";
}

// FOSSBilling keeps an ICU locale ("pt_BR", "en_US"); cobrador's notices are in en, es and pt-BR.
std::string locale_of(const std::string& lang, const std::string& fallback) {
  const auto language = lang.substr(0, lang.find_first_of("_-"));
  if (language == "pt") return "pt-BR";
  if (language == "es") return "es";
  if (language == "en") return "en";
  return fallback;
}

std::string trimmed(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

// The company when there is one, else the person, else the address mail goes to.
std::string name_of(const std::string& company, const std::string& first, const std::string& last,
                    const std::string& email) {
  if (!trimmed(company).empty()) return trimmed(company);
  const auto person = trimmed(trimmed(first) + " " + trimmed(last));
  return person.empty() ? email : person;
}

// unpaid, paid, refunded, canceled (Model/Invoice.php); "overdue" is unpaid past due_at.
std::optional<std::string> invoice_state_of(const std::string& status) {
  if (status == "unpaid") return "open";
  if (status == "paid") return "paid";
  if (status == "refunded" || status == "canceled") return "void";
  return std::nullopt;
}

// An amount read exactly, digits × 10^exponent: never through a binary float, so that PHP's
// 30.299999999999997 (10.1 + 20.2) rounds to 30.30 and 1.005 to 1.01 as its round() would.
// A whole number ≥ 0, as a JSON number or as decimal digits (PHP's database strings).
std::optional<std::uint64_t> whole_number(const json& value) {
  if (value.is_number_unsigned()) return value.get<std::uint64_t>();
  if (!value.is_string()) return std::nullopt;
  const auto& text = value.get_ref<const std::string&>();
  if (text.empty() || text.size() > 18 || text.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  return std::stoull(text);
}

// One list item's fields, read through json_fields; the first problem is kept and the item is
// then refused as a whole. `where` is the item's JSON pointer ("/result/list/3").
class Item {
 public:
  Item(const json& item, std::string where) : item_(item), where_(std::move(where)) {}

  bool ok() const { return !problem_; }
  Status status() const { return problem_ ? Status(*problem_) : Status(Ok{}); }
  const json& raw() const { return item_; }
  const std::string& where() const { return where_; }

  std::string id(const std::string& key) { return kept(id_field(item_, key, where_)); }
  std::string text(const std::string& key) { return kept(text_field(item_, key, where_)); }
  std::string date(const std::string& key) { return kept(date_field(item_, key, where_)); }

  // An amount in `currency`, as a number or a numeric string (json_fields' amount_field); a
  // negative one is read, for the caller to leave out.
  std::optional<Money> amount(const std::string& key, const std::string& currency) {
    if (!problem_ && !field(key)) fail(key, "is missing");
    if (problem_) return std::nullopt;
    auto money = amount_field(item_, key, where_, currency, true);
    if (!money) {
      problem_ = money.error();
      return std::nullopt;
    }
    return *money;
  }

  std::uint64_t count(const std::string& key, std::uint64_t absent) {
    const auto value = field(key);
    if (!value) return absent;
    const auto number = whole_number(*value);
    if (!number) fail(key, fmt::format("{} is not a whole number", value->dump()));
    return number.value_or(absent);
  }

  // PHP's booleans come as true/false, 1/0 or "1"/"0" depending on the version.
  bool flag(const std::string& key, bool absent) {
    const auto value = field(key);
    if (!value) return absent;
    if (value->is_boolean()) return value->get<bool>();
    const auto number = whole_number(*value);
    if (!number || *number > 1) fail(key, fmt::format("{} is not true or false", value->dump()));
    return number.value_or(absent ? 1 : 0) == 1;
  }

  void fail(const std::string& key, const std::string& why) {
    if (!problem_) problem_ = make_error(fmt::format("{}/{}: {}", where_, key, why));
  }

  // A problem found in a part of the item (an invoice's line) is the item's.
  void adopt(const Item& part) {
    if (!problem_) problem_ = part.problem_;
  }

 private:
  // The value at `key`, or nullptr for null and absent; a problem when the item is no object.
  const json* field(const std::string& key) {
    if (!item_.is_object()) {
      if (!problem_) problem_ = make_error(fmt::format("{}: is not an object", where_));
      return nullptr;
    }
    const auto found = item_.find(key);
    return found == item_.end() || found->is_null() ? nullptr : &*found;
  }

  std::string kept(Result<std::string> value) {
    if (value) return std::move(value).value();
    if (!problem_) problem_ = value.error();
    return "";
  }

  const json& item_;
  std::string where_;
  std::optional<Error> problem_;
};

class Reader {
 public:
  Reader(const SourceAccess& source, const Fetch& fetch)
      : source_(source), fetch_(fetch), per_page_(std::clamp(source.config.page_size, 1, max_per_page)) {}

  // Clients first, then orders (which need their client), then invoices (which need both).
  Result<SourceBook> read() {
    if (auto done = each("client/get_list", &Reader::client); !done) return done.error();
    if (auto done = each("order/get_list", &Reader::order); !done) return done.error();
    if (auto done = each("invoice/get_list", &Reader::invoice); !done) return done.error();
    return std::move(book_);
  }

 private:
  using Take = Status (Reader::*)(Item& fields);

  Error failed(const std::string& call, std::uint64_t page, const std::string& why) const {
    return failed(fmt::format("{} page {}", call, page), why);
  }

  // `what` names the call: "invoice/get_list page 2", "invoice/get (id 1001)".
  Error failed(const std::string& what, const std::string& why) const {
    auto message = fmt::format("fossbilling source '{}': {}: {}", source_.name, what, why);
    // A server that echoes the request must not carry the key into a log.
    for (const auto& secret : {source_.secret, authorization_token()}) {
      if (secret.empty()) continue;
      const std::string hidden = "<key>";
      for (auto at = message.find(secret); at != std::string::npos;
           at = message.find(secret, at + hidden.size()))
        message.replace(at, secret.size(), hidden);
    }
    return make_error(std::move(message));
  }

  std::string authorization_token() const { return crypto::base64_encode("admin:" + source_.secret); }

  // One page of a get_list call: the pager in `result`, or why there is none.
  Result<json> page(const std::string& call, std::uint64_t page) {
    // 0.7 reads the page only from the query string, 0.8 only from the parameters: send both.
    return post(call, fmt::format("?page={}&per_page={}", page, per_page_),
                json{{"page", page}, {"per_page", per_page_}}, fmt::format("{} page {}", call, page));
  }

 public:
  // Whether FOSSBilling still has invoice `id` (invoice/get): false only when it answers that
  // the invoice was not found.
  Result<bool> has_invoice(const std::string& id) {
    auto answer = post("invoice/get", "", json{{"id", id}}, fmt::format("invoice/get (id {})", id));
    if (answer) return true;
    if (answer.error().message.find("Invoice was not found") != std::string::npos) return false;
    return answer.error();
  }

 private:
  // A call of the admin API: `result`, or why there is none, naming `what`.
  Result<json> post(const std::string& call, const std::string& query, const json& params,
                    const std::string& what) {
    net::HttpRequest request;
    request.method = "POST";
    request.url = fmt::format("{}/api/admin/{}{}", source_.config.url, call, query);
    request.body = params.dump();
    request.headers = {{"Content-Type", "application/json"},
                       {"Accept", "application/json"},
                       {"Authorization", "Basic " + authorization_token()}};
    request.timeout = source_.config.timeout;
    request.verify_tls = source_.config.verify_tls;
    ++book_.calls;
    const auto response = fetch_(std::move(request));
    if (!response.ok()) return failed(what, response.error);
    auto body = json::parse(response.body, nullptr, false);
    if (body.is_discarded())
      return failed(what,
                    fmt::format("the answer is not JSON (HTTP {}): {}", response.status, excerpt(response)));
    // An error in the envelope is the system's own word, whatever the HTTP status.
    if (const auto error = body.find("error"); error != body.end() && !error->is_null())
      return failed(what,
                    fmt::format("{} ({}HTTP {})", message_of(*error), code_of(*error), response.status));
    if (response.status < 200 || response.status > 299)
      return failed(what, fmt::format("HTTP {}: {}", response.status, excerpt(response)));
    if (!body.is_object() || !body.contains("result"))
      return failed(what, "the answer is not the admin API's {\"result\", \"error\"}: " + excerpt(response));
    return std::move(body["result"]);
  }

  static std::string message_of(const json& error) {
    const auto message = error.find("message");
    if (message != error.end() && message->is_string()) return message->get<std::string>();
    return error.is_string() ? error.get<std::string>() : "an error without a message";
  }

  static std::string code_of(const json& error) {
    const auto code = error.find("code");
    return code != error.end() && !code->is_null() ? fmt::format("code {}, ", code->dump()) : "";
  }

  static std::string excerpt(const net::HttpResponse& response) {
    constexpr std::size_t shown = 200;
    if (response.body.empty()) return "an empty body";
    return response.body.size() <= shown ? response.body : response.body.substr(0, shown) + "...";
  }

  // Every page of a list, each item handed to `take`. The page count is the latest answer's:
  // a row created during the pass pushes the last one onto a page that did not exist before.
  Status each(const std::string& call, Take take) {
    for (std::uint64_t number = 1, pages = 1; number <= pages; ++number) {
      auto answer = page(call, number);
      if (!answer) return answer.error();
      const json& pager = *answer;
      if (!pager.is_object()) return failed(call, number, "/result: is not a list page");
      const auto count = pager.find("pages");
      if (count == pager.end() || !whole_number(*count))
        return failed(call, number, "/result/pages: is not a number of pages");
      if (const auto echoed = pager.find("page"); echoed != pager.end() && whole_number(*echoed) != number)
        return failed(call, number, fmt::format("/result/page: the answer is page {}", echoed->dump()));
      const auto list = pager.find("list");
      if (list == pager.end() || !list->is_array())
        return failed(call, number, "/result/list: is not a list");
      pages = *whole_number(*count);
      for (std::size_t index = 0; index < list->size(); ++index) {
        Item fields((*list)[index], fmt::format("/result/list/{}", index));
        if (auto taken = (this->*take)(fields); !taken) return failed(call, number, taken.error().message);
      }
    }
    return Ok{};
  }

  Status client(Item& fields) {
    const auto id = fields.id("id");
    // Lists are newest first: a client created during the pass shows one of page N again on N+1.
    if (!fields.ok() || client_currencies_.count(id) > 0) return fields.status();
    const auto email = fields.text("email");
    const auto name =
        name_of(fields.text("company"), fields.text("first_name"), fields.text("last_name"), email);
    const auto phone = international_phone(fields.text("phone_cc"), fields.text("phone"));
    const auto locale = locale_of(fields.text("lang"), source_.config.locale);  // 0.7's list has no lang
    const auto currency = fields.text("currency");
    const auto since = fields.date("created_at");
    if (!fields.ok()) return fields.status();
    client_currencies_.emplace(id, currency);
    book_.customers.add({{"id", source_id(source_.name, id)},
                         {"name", name},
                         {"email", email},
                         {"phone", phone},
                         {"locale", locale},
                         {"customer_since", since}});
    return Ok{};
  }

  // `amount` × `count`, or nullopt for a negative amount (left out) or, naming the problem, one
  // past int64's range of minor units.
  static std::optional<Money> times(Item& fields, const std::string& key, const std::optional<Money>& amount,
                                    std::uint64_t count) {
    if (!amount || amount->minor < 0) return std::nullopt;
    Money product = *amount;
    if (count > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) ||
        __builtin_mul_overflow(amount->minor, static_cast<std::int64_t>(count), &product.minor)) {
      fields.fail(key, "is too large an amount");
      return std::nullopt;
    }
    return product;
  }

  // The order's currency, else its client's (the two are the same in FOSSBilling).
  std::string currency(Item& fields, const std::string& client) {
    auto code = fields.text("currency");
    if (code.empty()) code = client_currencies_[client];
    if (code.empty() && fields.ok()) fields.fail("currency", "is missing, and the client has none");
    return code;
  }

  Status order(Item& fields) {
    const auto id = fields.id("id");
    if (!fields.ok() || !seen_orders_.insert(id).second) return fields.status();
    const auto status = fields.text("status");
    const auto client = fields.id("client_id");
    if (!fields.ok() || !actionable(status) || client_currencies_.count(client) == 0) return fields.status();
    const auto product = fields.text("product_id");
    const auto type = fields.text("service_type");
    const auto quantity = fields.count("quantity", 1);
    const auto code = currency(fields, client);
    const auto recurring = times(fields, "price", fields.amount("price", code), quantity);
    // A negative price is no service to dun (a discount line sold as an order): left out.
    if (!fields.ok() || !recurring) return fields.status();
    const auto& products = source_.config.products;
    const auto mapped = products.find(product);
    const auto mapping = mapped == products.end() ? config::ProductMapping{} : mapped->second;
    auto kind = mapping.kind;
    if (kind.empty()) kind = type == "hosting" || type == "vps" ? type : source_.config.default_kind;
    // The account is the order id even when the mapping says `account: username`: FOSSBilling's
    // order list carries no username, and its panel (hooks/fossbilling_panel) acts on order ids.
    book_.services.add({{"id", source_id(source_.name, id)},
                        {"customer_id", source_id(source_.name, client)},
                        {"kind", kind},
                        {"panel", mapping.panel.empty() ? source_.config.default_panel : mapping.panel},
                        {"account", id},
                        {"recurring_amount", format_amount(*recurring)},
                        {"recurring_currency", code}});
    services_.insert(id);
    return Ok{};
  }

  // The services an invoice bills: its lines' orders that were read as services, in line order,
  // each once. Lines of other types (custom, deposit, hook_call) carry no order.
  std::string billed(Item& fields) {
    const auto lines = fields.raw().find("lines");
    if (lines == fields.raw().end() || lines->is_null()) return "";
    if (!lines->is_array()) {
      fields.fail("lines", "is not a list");
      return "";
    }
    std::string billed;
    std::set<std::string> listed;
    for (std::size_t index = 0; index < lines->size(); ++index) {
      Item line((*lines)[index], fmt::format("{}/lines/{}", fields.where(), index));
      const auto order = line.text("order_id").empty() ? std::string() : line.id("order_id");
      fields.adopt(line);
      if (!line.ok()) return "";
      if (order.empty() || services_.count(order) == 0 || !listed.insert(order).second) continue;
      billed += (billed.empty() ? "" : ";") + source_id(source_.name, order);
    }
    return billed;
  }

  Status invoice(Item& fields) {
    const auto id = fields.id("id");
    if (!fields.ok() || !seen_invoices_.insert(id).second) return fields.status();
    const bool approved = fields.flag("approved", true);  // absent: no draft flag to go by
    const auto client = fields.id("client_id");
    // A draft is not yet the client's to pay; an invoice of a client not read has no customer.
    if (!fields.ok() || !approved || client_currencies_.count(client) == 0) return fields.status();
    const auto status = fields.text("status");
    const auto state = invoice_state_of(status);
    if (fields.ok() && !state) fields.fail("status", fmt::format("'{}' is not an invoice status", status));
    const auto code = currency(fields, client);
    const auto total = times(fields, "total", fields.amount("total", code), 1);
    const auto issued = fields.date("created_at");
    if (fields.ok() && issued.empty()) fields.fail("created_at", "is missing");
    const auto due = fields.date("due_at");
    const auto services = billed(fields);
    // A negative total is a credit note (the negative_invoice refund logic): nothing to collect.
    if (!fields.ok() || !total) return fields.status();
    book_.invoices.add({{"id", source_id(source_.name, id)},
                        {"customer_id", source_id(source_.name, client)},
                        {"services", services},
                        {"amount", format_amount(*total)},
                        {"currency", code},
                        {"issued_on", issued},
                        {"due_on", due.empty() ? issued : due},
                        {"status", *state}});
    return Ok{};
  }

  const SourceAccess& source_;
  const Fetch& fetch_;
  const int per_page_;
  SourceBook book_;
  std::map<std::string, std::string> client_currencies_;  // the clients read, by id
  std::set<std::string> seen_orders_;
  std::set<std::string> seen_invoices_;
  std::set<std::string> services_;  // the orders read as services
};

}  // namespace fossbilling
}  // namespace

Result<bool> fossbilling_has_invoice(const SourceAccess& source, const Fetch& fetch, const std::string& id) {
  try {
    return fossbilling::Reader(source, fetch).has_invoice(id);
  } catch (const std::exception& failure) {
    return make_error(fmt::format("fossbilling source '{}': {}", source.name, failure.what()));
  }
}

Result<SourceBook> read_fossbilling(const SourceAccess& source, const Fetch& fetch) {
  try {
    return fossbilling::Reader(source, fetch).read();
  } catch (const std::exception& failure) {
    // Nothing above throws on the system's data; this keeps a surprise inside the pass's result.
    return make_error(fmt::format("fossbilling source '{}': {}", source.name, failure.what()));
  }
}

}  // namespace cobrador::sources
