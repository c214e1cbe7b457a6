// Asynchronous HTTP(S) requests for the panel adapters and the SMS channel, on the shared
// CurlMulti. A request never throws into the caller and never blocks: the answer, or the
// reason there is none, comes back through the callback on the io_context.
#pragma once

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "net/curl_multi.hpp"

namespace cobrador::net {

struct HttpRequest {
  std::string method = "GET";
  std::string url;  // http:// or https:// only; other schemes are refused
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::chrono::milliseconds timeout{30'000};  // the whole exchange; 0 or less means the default
  bool verify_tls = true;                     // peer certificate and host name
};

struct HttpResponse {
  std::string error;       // empty when an HTTP answer arrived; else what went wrong in transport
  bool timed_out = false;  // the error was the request's timeout
  long status = 0;
  std::map<std::string, std::string> headers;  // names in lower case; repeated headers joined by ", "
  std::string body;

  bool ok() const { return error.empty(); }
  // The value of a header by its lower-case name, or "" when absent.
  std::string header(const std::string& lower_case_name) const;
};

// Bodies larger than this are cut off with an error: a panel has no business sending more.
inline constexpr std::size_t max_response_body = 16 * 1024 * 1024;

class HttpClient {
 public:
  using Callback = std::function<void(HttpResponse)>;

  explicit HttpClient(boost::asio::io_context& io);
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends one request; `done` runs once on the io_context with the response or the error.
  void perform(HttpRequest request, Callback done);

  // Runs any other libcurl transfer (an SMTP send, say) on the same multi handle.
  void perform_easy(EasyHandle easy, CurlMulti::Done done);

  std::size_t in_flight() const { return multi_.in_flight(); }

  // See CurlMulti::keep_connections.
  void keep_connections(long connections) { multi_.keep_connections(connections); }

 private:
  boost::asio::io_context& io_;
  CurlMulti multi_;
};

}  // namespace cobrador::net
