// A small HTTP client for the API tests: libcurl easy for whole requests, and a raw TCP
// socket for what a well-behaved client never does (send half a request and wait, open
// connections and say nothing).
#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace cobrador::testing {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct Reply {
  long status = 0;
  std::string body;
  HeaderList headers;  // names in lower case

  std::string header(const std::string& lower_case_name) const;
  nlohmann::json json() const;
  // The error body's fields, "" when absent or null.
  std::string error_code() const;
  std::string error_field() const;
};

// One request on a fresh connection. `url` is absolute. The client gives up (an exception)
// after `timeout`.
Reply http_request(const std::string& method, const std::string& url, const std::string& body = "",
                   const HeaderList& headers = {},
                   std::chrono::milliseconds timeout = std::chrono::seconds{5});

// A client that keeps its connection open between requests, as a billing system's HTTP
// library does: libcurl reuses the connection while the server keeps it.
class KeepAliveClient {
 public:
  KeepAliveClient();
  ~KeepAliveClient();
  KeepAliveClient(const KeepAliveClient&) = delete;
  KeepAliveClient& operator=(const KeepAliveClient&) = delete;

  Reply request(const std::string& method, const std::string& url, const std::string& body = "",
                const HeaderList& headers = {}, std::chrono::milliseconds timeout = std::chrono::seconds{5});
  // How many connections the last request had to open: 0 when it reused the kept one.
  long connections_opened() const;

 private:
  void* curl_;  // CURL*
};

// A raw connection to 127.0.0.1:port, or from another loopback address (`source`, e.g.
// "127.0.0.2": Linux routes all of 127.0.0.0/8 to lo) to act as another peer.
class RawConnection {
 public:
  explicit RawConnection(unsigned short port, const char* source = nullptr);
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  void send(const std::string& bytes);
  // Reads until the server closes or `patience` passes; `closed` says which.
  std::string read_until_closed(std::chrono::milliseconds patience, bool& closed);

 private:
  int fd_ = -1;
};

}  // namespace cobrador::testing
