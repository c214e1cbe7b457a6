// Implements net/http_client.hpp: turns an HttpRequest into a configured easy handle and
// collects the status, headers and body of the answer.
#include "net/http_client.hpp"

#include <boost/asio/post.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <exception>
#include <memory>

namespace cobrador::net {

namespace asio = boost::asio;

namespace {

constexpr std::chrono::milliseconds default_timeout{30'000};

// One request in flight: everything the easy handle points at lives here until the end.
struct Exchange {
  HttpRequest request;
  Slist header_list;
  HttpResponse response;
  std::array<char, CURL_ERROR_SIZE> error_buffer{};
  bool body_too_large = false;
};

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

std::string trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(first, last - first + 1));
}

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto& exchange = *static_cast<Exchange*>(user);
  const size_t length = size * count;
  if (exchange.response.body.size() + length > max_response_body) {
    exchange.body_too_large = true;
    return 0;  // makes libcurl stop with CURLE_WRITE_ERROR
  }
  exchange.response.body.append(data, length);
  return length;
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto& headers = static_cast<Exchange*>(user)->response.headers;
  const size_t length = size * count;
  const std::string_view line(data, length);
  // A status line starts a new response (after a 100 Continue, say): forget earlier headers.
  if (line.substr(0, 5) == "HTTP/") {
    headers.clear();
    return length;
  }
  const auto colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) return length;
  const auto name = lower(std::string(line.substr(0, colon)));
  auto value = trim(line.substr(colon + 1));
  auto [it, inserted] = headers.emplace(name, value);
  if (!inserted) it->second += ", " + value;
  return length;
}

void set_method(CURL* easy, const HttpRequest& request) {
  const auto& method = request.method;
  if (method == "GET" && request.body.empty()) {
    curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
    return;
  }
  if (method == "HEAD") {
    curl_easy_setopt(easy, CURLOPT_NOBODY, 1L);
    return;
  }
  // POSTFIELDS with an explicit size sends the body as is (no strlen, binary safe).
  curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  curl_easy_setopt(easy, CURLOPT_POSTFIELDS, request.body.c_str());
  if (method != "POST") curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, method.c_str());
}

void set_headers(CURL* easy, Exchange& exchange) {
  for (const auto& [name, value] : exchange.request.headers) {
    // "Name;" is libcurl's way to send a header with an empty value.
    slist_append(exchange.header_list, value.empty() ? name + ";" : name + ": " + value);
  }
  // libcurl would otherwise wait up to a second for "100 Continue" before sending a big body.
  slist_append(exchange.header_list, "Expect:");
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, exchange.header_list.get());
}

EasyHandle configure(Exchange& exchange) {
  auto easy = make_easy();
  CURL* h = easy.get();
  const auto& request = exchange.request;
  const auto timeout = request.timeout.count() > 0 ? request.timeout : default_timeout;
  curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);  // a redirect is an answer the caller judges
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, request.verify_tls ? 1L : 0L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, request.verify_tls ? 2L : 0L);
  curl_easy_setopt(h, CURLOPT_USERAGENT, "cobrador/0.1");
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, exchange.error_buffer.data());
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &exchange);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &exchange);
  set_method(h, request);
  set_headers(h, exchange);
  return easy;
}

void finish(Exchange& exchange, CURLcode result, CURL* easy) {
  auto& response = exchange.response;
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &response.status);
  if (result == CURLE_OK) return;
  response.timed_out = result == CURLE_OPERATION_TIMEDOUT;
  if (exchange.body_too_large) {
    response.error = "the response body is larger than " + std::to_string(max_response_body) + " bytes";
    return;
  }
  response.error = curl_easy_strerror(result);
  if (exchange.error_buffer[0] != '\0') response.error += std::string(": ") + exchange.error_buffer.data();
}

}  // namespace

std::string HttpResponse::header(const std::string& lower_case_name) const {
  const auto it = headers.find(lower_case_name);
  return it == headers.end() ? std::string() : it->second;
}

HttpClient::HttpClient(asio::io_context& io) : io_(io), multi_(io) {}

void HttpClient::perform(HttpRequest request, Callback done) {
  auto exchange = std::make_shared<Exchange>();
  exchange->request = std::move(request);
  EasyHandle easy;
  try {
    easy = configure(*exchange);
  } catch (const std::exception& e) {
    exchange->response.error = std::string("cannot prepare the request: ") + e.what();
    asio::post(io_, [exchange, done = std::move(done)] { done(std::move(exchange->response)); });
    return;
  }
  multi_.perform(std::move(easy), [exchange, done = std::move(done)](CURLcode result, EasyHandle easy) {
    finish(*exchange, result, easy.get());
    easy.reset();  // before the callback, so that the handle never outlives its buffers
    done(std::move(exchange->response));
  });
}

void HttpClient::perform_easy(EasyHandle easy, CurlMulti::Done done) {
  multi_.perform(std::move(easy), std::move(done));
}

}  // namespace cobrador::net
