// The FOSSBilling reader (issue 24) over real HTTP against a stand-in that answers as
// FOSSBilling's admin API does: the rows it reads, every request it sends, paging with rows
// created mid-pass, and the errors a pass can end with, each naming the call and the page.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "integration/sources/fossbilling_standin.hpp"
#include "sources/fetch.hpp"
#include "sources/fossbilling_reader.hpp"
#include "util/crypto.hpp"

using namespace cobrador;
using namespace cobrador::testing;
using nlohmann::json;

namespace fossbilling_reader_test {

// Source fb, two rows a page so that every list pages; products 10 and 30 mapped.
sources::SourceAccess access(const std::string& url, const std::string& key) {
  sources::SourceAccess source;
  source.name = "fb";
  source.config.type = "fossbilling";
  source.config.url = url;
  source.config.secret_file = "fossbilling.key";
  source.config.timeout = std::chrono::seconds(5);
  source.config.page_size = 2;
  source.config.products = {{"10", {"hosting", "cpanel-1", ""}}, {"30", {"internet", "radius", "username"}}};
  source.config.default_kind = "other";
  source.config.default_panel = "fossbilling";
  source.config.locale = "en";
  source.secret = key;
  return source;
}

Result<sources::SourceBook> read(const sources::SourceAccess& source) {
  return sources::read_fossbilling(source, sources::http_fetch());
}

Result<sources::SourceBook> read(FossbillingStandIn& standin) {
  return read(access(standin.url(), standin.api_key()));
}

std::string error_of(const Result<sources::SourceBook>& result) {
  REQUIRE_FALSE(result);
  return result.error().message;
}

json customer(const std::string& id, const std::string& name, const std::string& email,
              const std::string& phone, const std::string& locale, const std::string& since) {
  return {{"id", id},       {"name", name},     {"email", email},
          {"phone", phone}, {"locale", locale}, {"customer_since", since}};
}

json service(const std::string& id, const std::string& customer_id, const std::string& kind,
             const std::string& panel, const std::string& account, const std::string& amount,
             const std::string& currency) {
  return {{"id", id},
          {"customer_id", customer_id},
          {"kind", kind},
          {"panel", panel},
          {"account", account},
          {"recurring_amount", amount},
          {"recurring_currency", currency}};
}

json invoice(const std::string& id, const std::string& customer_id, const std::string& services,
             const std::string& amount, const std::string& currency, const std::string& issued_on,
             const std::string& due_on, const std::string& status) {
  return {{"id", id},
          {"customer_id", customer_id},
          {"services", services},
          {"amount", amount},
          {"currency", currency},
          {"issued_on", issued_on},
          {"due_on", due_on},
          {"status", status}};
}

std::vector<std::string> ids(const std::vector<json>& rows) {
  std::vector<std::string> out;
  for (const auto& row : rows) out.push_back(row.at("id").get<std::string>());
  return out;
}

}  // namespace fossbilling_reader_test

using namespace fossbilling_reader_test;

// The sample book read two rows a page: 3 customers, 5 services (the cancelled order left out)
// and 7 invoices (the draft left out), newest first as FOSSBilling lists them.
TEST_CASE("fossbilling: a pass reads clients, actionable orders and approved invoices page by page",
          "[sources][fossbilling]") {
  FossbillingStandIn standin;
  const auto book = read(standin);
  REQUIRE(book.ok());

  CHECK(book->customers.rows() ==
        std::vector<json>{
            customer("fb:3", "maria@ejemplo.example", "maria@ejemplo.example", "", "es", "2024-01-05"),
            customer("fb:2", "John Smith", "john@smith.example", "+15550100", "en", "2023-06-01"),
            customer("fb:1", "Acme Hospedagem Ltda", "ana@acme.example", "+5511987654321", "pt-BR",
                     "2023-02-14"),
        });
  CHECK(book->services.rows() == std::vector<json>{
                                     service("fb:6", "fb:3", "hosting", "cpanel-1", "6", "19.90", "EUR"),
                                     service("fb:5", "fb:3", "other", "fossbilling", "5", "5.00", "EUR"),
                                     service("fb:3", "fb:2", "internet", "radius", "3", "30.30", "USD"),
                                     service("fb:2", "fb:1", "vps", "fossbilling", "2", "80.00", "BRL"),
                                     service("fb:1", "fb:1", "hosting", "cpanel-1", "1", "12.95", "BRL"),
                                 });
  CHECK(book->invoices.rows() ==
        std::vector<json>{
            invoice("fb:8", "fb:2", "fb:3", "30.30", "USD", "2024-03-10", "2024-03-17", "open"),
            invoice("fb:7", "fb:3", "fb:6", "19.90", "EUR", "2024-02-16", "2024-02-23", "void"),
            invoice("fb:6", "fb:3", "fb:5;fb:6", "24.90", "EUR", "2024-02-15", "2024-02-22", "open"),
            invoice("fb:4", "fb:2", "", "30.00", "USD", "2024-02-11", "2024-02-18", "void"),
            invoice("fb:3", "fb:2", "fb:3", "30.30", "USD", "2024-02-10", "2024-02-10", "open"),
            invoice("fb:2", "fb:1", "fb:1", "12.95", "BRL", "2024-02-01", "2024-02-08", "open"),
            invoice("fb:1", "fb:1", "fb:1;fb:2", "92.95", "BRL", "2024-01-01", "2024-01-08", "paid"),
        });
  CHECK(book->calls == 9);
  CHECK(book->rows() == 15);
}

// Each request: POST to the list's path, the page in the query string and in the JSON body
// (0.7 reads one, 0.8 the other), HTTP Basic admin:<key>, a JSON content type.
TEST_CASE("fossbilling: every request carries the page twice and the admin key as basic auth",
          "[sources][fossbilling]") {
  FossbillingStandIn standin;
  REQUIRE(read(standin).ok());
  const std::vector<std::pair<std::string, int>> expected{
      {"client", 1},  {"client", 2},  {"order", 1},   {"order", 2},   {"order", 3},
      {"invoice", 1}, {"invoice", 2}, {"invoice", 3}, {"invoice", 4},
  };
  const auto requests = standin.requests();
  REQUIRE(requests.size() == expected.size());
  for (std::size_t at = 0; at < requests.size(); ++at) {
    const auto& request = requests[at];
    INFO("request " << at << ": " << request.target);
    CHECK(request.method == "POST");
    CHECK(request.path == "/api/admin/" + expected[at].first + "/get_list");
    CHECK(request.query_value("page") == std::to_string(expected[at].second));
    CHECK(request.query_value("per_page") == "2");
    CHECK(json::parse(request.body) == json{{"page", expected[at].second}, {"per_page", 2}});
    CHECK(request.header("authorization") == "Basic " + crypto::base64_encode("admin:" + standin.api_key()));
    CHECK(request.header("content-type") == "application/json");
  }
}

// Rows created during the pass push the page before's last row onto the next page, and the
// last row onto a page that was not there at first: each id is read once and none is lost.
TEST_CASE("fossbilling: rows created mid-pass shift the pages, and each id is read once",
          "[sources][fossbilling]") {
  FossbillingStandIn standin;
  standin.change([](FossbillingBook& book) {
    book.before_page = [](FossbillingBook& now, const std::string& call, int page) {
      if (call == "client/get_list" && page == 2 && now.clients.size() == 3)
        now.clients.push_back(fossbilling_client(4, "New Co", "", "", "new@co.example", "55", "1", "pt_BR",
                                                 "BRL", "2024-04-01 00:00:00"));
      if (call == "invoice/get_list" && page == 2 && now.invoices.size() == 8)
        now.invoices.push_back(fossbilling_invoice(9, 1, "unpaid", 12.95, "BRL", "2024-04-01 08:00:00",
                                                   nullptr, {fossbilling_line(13, 1, "12.95")}));
    };
  });
  const auto book = read(standin);
  REQUIRE(book.ok());
  CHECK(ids(book->customers.rows()) == std::vector<std::string>{"fb:3", "fb:2", "fb:1"});
  CHECK(ids(book->invoices.rows()) ==
        std::vector<std::string>{"fb:8", "fb:7", "fb:6", "fb:4", "fb:3", "fb:2", "fb:1"});
  // Nine invoices at two a page: a fifth page, read because page 2 said so.
  CHECK(book->calls == 2 + 3 + 5);
  CHECK(standin.requests().back().query_value("page") == "5");

  // The next pass reads what was created during this one.
  standin.change([](FossbillingBook& book) { book.before_page = nullptr; });
  const auto next = read(standin);
  REQUIRE(next.ok());
  CHECK(ids(next->customers.rows()) == std::vector<std::string>{"fb:4", "fb:3", "fb:2", "fb:1"});
  CHECK(next->invoices.rows().front() ==
        invoice("fb:9", "fb:1", "fb:1", "12.95", "BRL", "2024-04-01", "2024-04-01", "open"));
}

// An invoice paid in FOSSBilling reads as paid on the next pass; everything else as it was.
TEST_CASE("fossbilling: an invoice paid in FOSSBilling reads as paid on the next pass",
          "[sources][fossbilling]") {
  FossbillingStandIn standin;
  const auto first = read(standin);
  REQUIRE(first.ok());
  standin.change([](FossbillingBook& book) { fossbilling_row(book.invoices, 2)["status"] = "paid"; });
  const auto second = read(standin);
  REQUIRE(second.ok());
  CHECK(second->customers.rows() == first->customers.rows());
  CHECK(second->services.rows() == first->services.rows());
  auto expected = first->invoices.rows();
  expected[5]["status"] = "paid";
  CHECK(second->invoices.rows() == expected);
}

// ICU locales map to the ones cobrador has notices in; any other, or none (0.7 lists no
// `lang`), is the source's configured locale.
TEST_CASE("fossbilling: a client's language maps to pt-BR, es or en, else the source's locale",
          "[sources][fossbilling]") {
  FossbillingStandIn standin;
  standin.change([](FossbillingBook& book) {
    fossbilling_row(book.clients, 1)["lang"] = "pt_PT";
    fossbilling_row(book.clients, 2).erase("lang");
    fossbilling_row(book.clients, 3)["lang"] = "fr_FR";
  });
  auto source = access(standin.url(), standin.api_key());
  source.config.locale = "es";
  const auto book = read(source);
  REQUIRE(book.ok());
  REQUIRE(book->customers.rows().size() == 3);
  CHECK(book->customers.rows()[0]["locale"] == "es");     // fr_FR
  CHECK(book->customers.rows()[1]["locale"] == "es");     // no lang
  CHECK(book->customers.rows()[2]["locale"] == "pt-BR");  // pt_PT
}

// What cobrador cannot collect is left out: an invoice of a client it did not read, a credit
// note (a negative total). A page size past 0.8's limit is asked as 500.
TEST_CASE("fossbilling: invoices of unknown clients and credit notes are left out, pages at most 500",
          "[sources][fossbilling]") {
  FossbillingStandIn standin;
  standin.change([](FossbillingBook& book) {
    book.invoices.push_back(
        fossbilling_invoice(9, 99, "unpaid", 10, "USD", "2024-04-01 08:00:00", nullptr, {}));
    book.invoices.push_back(fossbilling_invoice(10, 1, "refunded", -12.95, "BRL", "2024-04-02 08:00:00",
                                                nullptr, {fossbilling_line(13, 1, -12.95)}));
  });
  auto source = access(standin.url(), standin.api_key());
  source.config.page_size = 1000;
  const auto book = read(source);
  REQUIRE(book.ok());
  CHECK(ids(book->invoices.rows()) ==
        std::vector<std::string>{"fb:8", "fb:7", "fb:6", "fb:4", "fb:3", "fb:2", "fb:1"});
  CHECK(book->calls == 3);
  for (const auto& request : standin.requests()) CHECK(request.query_value("per_page") == "500");
}

// A wrong API key: FOSSBilling's own words, the call and the page, and never the key.
TEST_CASE("fossbilling: a wrong API key is named plainly", "[sources][fossbilling]") {
  FossbillingStandIn standin;
  const auto message = error_of(read(access(standin.url(), "wrong-key-123")));
  CHECK(message ==
        "fossbilling source 'fb': client/get_list page 1: Authentication Failed (code 205, HTTP 401)");
  CHECK(message.find("wrong-key-123") == std::string::npos);
  CHECK(standin.requests().size() == 1);
}

// A page that fails ends the pass with the call, the page and what the system said.
TEST_CASE("fossbilling: a failing page is named with its call and page", "[sources][fossbilling]") {
  FossbillingStandIn standin;
  std::string expected;
  SECTION("an error envelope with HTTP 500") {
    standin.change([](FossbillingBook& book) {
      book.failure = fossbilling_error(500, "SQLSTATE[HY000] [2002] Connection refused", 9999);
    });
    expected = "SQLSTATE[HY000] [2002] Connection refused (code 9999, HTTP 500)";
  }
  SECTION("an error envelope with HTTP 200") {
    standin.change([](FossbillingBook& book) {
      book.failure =
          fossbilling_error(200, "You need the \"invoice.view\" permission to perform this action", 403);
    });
    expected = "You need the \"invoice.view\" permission to perform this action (code 403, HTTP 200)";
  }
  SECTION("a web server's error page") {
    standin.change([](FossbillingBook& book) {
      book.failure = FakeResponse{502, {{"Content-Type", "text/html"}}, "<html>502 Bad Gateway</html>", {}};
    });
    expected = "the answer is not JSON (HTTP 502): <html>502 Bad Gateway</html>";
  }
  SECTION("rate limited") {
    standin.change([](FossbillingBook& book) {
      book.failure = fossbilling_error(429, "Rate limit exceeded. Please try again later.", 429);
      book.failure.headers.emplace_back("Retry-After", "60");
    });
    expected = "Rate limit exceeded. Please try again later. (code 429, HTTP 429)";
  }
  standin.change([](FossbillingBook& book) {
    book.failing_call = "invoice/get_list";
    book.failing_page = 2;
  });
  CHECK(error_of(read(standin)) == "fossbilling source 'fb': invoice/get_list page 2: " + expected);
  CHECK(standin.requests().size() == 2 + 3 + 2);
}

// No answer at all: the transport's reason, with the call and the page.
TEST_CASE("fossbilling: a system that does not answer is named with the first call",
          "[sources][fossbilling]") {
  std::string url;
  {
    FakePanel gone([](const FakeRequest&) { return FakeResponse{}; });
    url = gone.url();
  }
  const auto message = error_of(read(access(url, "k")));
  CHECK_THAT(message, Catch::StartsWith("fossbilling source 'fb': client/get_list page 1: "));
  CHECK(message.size() > std::string("fossbilling source 'fb': client/get_list page 1: ").size());
}

// A malformed field ends the pass naming the call, the page and the field's JSON pointer.
TEST_CASE("fossbilling: a malformed field is named with its JSON pointer", "[sources][fossbilling]") {
  FossbillingStandIn standin;
  std::string expected_start;
  std::string detail;
  SECTION("an order id that is no number") {
    // Orders newest first, two a page: order 3 is the second row of page 2.
    standin.change([](FossbillingBook& book) { fossbilling_row(book.orders, 3)["id"] = "3x"; });
    expected_start = "fossbilling source 'fb': order/get_list page 2: /result/list/1/id: ";
    detail = "3x";
  }
  SECTION("a client id that is an object") {
    standin.change([](FossbillingBook& book) { fossbilling_row(book.clients, 1)["id"] = json{{"id", 1}}; });
    expected_start = "fossbilling source 'fb': client/get_list page 2: /result/list/0/id: ";
  }
  SECTION("an invoice total written with a comma") {
    standin.change([](FossbillingBook& book) { fossbilling_row(book.invoices, 6)["total"] = "24,90"; });
    expected_start =
        "fossbilling source 'fb': invoice/get_list page 2: /result/list/0/total: '24,90' is not an amount in "
        "EUR";
  }
  SECTION("a line's order id that is a list") {
    standin.change([](FossbillingBook& book) {
      fossbilling_row(book.invoices, 8)["lines"][0]["order_id"] = json::array({3});
    });
    expected_start = "fossbilling source 'fb': invoice/get_list page 1: /result/list/0/lines/0/order_id: ";
  }
  SECTION("a quantity that is negative") {
    standin.change([](FossbillingBook& book) { fossbilling_row(book.orders, 1)["quantity"] = -1; });
    expected_start =
        "fossbilling source 'fb': order/get_list page 3: /result/list/1/quantity: -1 is not a whole number";
  }
  const auto message = error_of(read(standin));
  CHECK_THAT(message, Catch::StartsWith(expected_start));
  CHECK_THAT(message, Catch::Contains(detail));
}

// An invoice deleted in FOSSBilling (by hand, or by "Remove Unpaid Invoices After"): invoice/get
// answers "Invoice was not found" (HTTP 200, code 9999), which is the one answer that says it is
// gone; one FOSSBilling has is there, and any other failure is an error, never "gone".
TEST_CASE("fossbilling: an invoice deleted there is told apart from one still there",
          "[sources][fossbilling]") {
  FossbillingStandIn standin;
  const auto source = access(standin.url(), standin.api_key());
  const auto has = [&source](const std::string& id) {
    return sources::fossbilling_has_invoice(source, sources::http_fetch(), id);
  };
  REQUIRE(has("2"));
  CHECK(*has("2"));
  standin.change([](FossbillingBook& book) {
    book.invoices.erase(std::remove_if(book.invoices.begin(), book.invoices.end(),
                                       [](const json& row) { return row.at("id") == 2; }),
                        book.invoices.end());
  });
  REQUIRE(has("2"));
  CHECK_FALSE(*has("2"));
  const auto seen = standin.requests();
  REQUIRE_FALSE(seen.empty());
  CHECK(seen.back().path == "/api/admin/invoice/get");
  CHECK(json::parse(seen.back().body) == json{{"id", "2"}});
  // A wrong key is a failure, not a deleted invoice.
  const auto denied =
      sources::fossbilling_has_invoice(access(standin.url(), "wrong"), sources::http_fetch(), "2");
  REQUIRE_FALSE(denied);
  CHECK_THAT(denied.error().message, Catch::Contains("invoice/get (id 2): Authentication Failed"));
}
