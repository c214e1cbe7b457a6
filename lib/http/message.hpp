// A request and its answer as plain values, free of Boost.Beast, so that handlers, the router
// and their tests never include the heavy headers. The session converts at the edge.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cobrador::http {

struct Request {
  std::string method;                                        // "GET", "PUT", ...
  std::string target;                                        // path and query as sent
  std::string path;                                          // target without the query
  std::string query;                                         // after '?', still encoded
  std::vector<std::pair<std::string, std::string>> headers;  // names in lower case
  std::string body;
  std::string peer;  // the remote address (no port), as the connection saw it; "" in tests without one

  // The first header called `lower_case_name`, or "".
  std::string_view header(std::string_view lower_case_name) const;
  // The first query field called `name`, percent-decoded, or "" (then *found says whether it
  // was there at all).
  std::string query_value(std::string_view name, bool* found = nullptr) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

// Hands a request's answer back to its connection. Safe to call from any thread, exactly once.
using Respond = std::function<void(Response)>;

// Decodes %XX and '+' (in queries); false when a % is not followed by two hex digits.
bool percent_decode(std::string_view text, std::string& out, bool plus_is_space);

}  // namespace cobrador::http
