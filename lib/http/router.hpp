// Routes a method and path to a handler. Patterns are literal segments and `{name}`
// placeholders that match one non-empty segment ("/v1/customers/{id}"); a placeholder's value
// is percent-decoded. A path that matches no pattern is 404; a path that matches with another
// method is 405 with the methods that would work.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.hpp"

namespace cobrador::http {

using Params = std::map<std::string, std::string>;
using Handler = std::function<void(Request&&, Params&&, Respond)>;

struct Route {
  std::string method;
  std::string pattern;
  Handler handler;
};

struct Match {
  const Route* route = nullptr;  // null: nothing to call
  Params params;
  std::vector<std::string> allowed;  // when route is null: the methods the path has (405)
};

class Router {
 public:
  void add(std::string method, std::string pattern, Handler handler);
  Match match(std::string_view method, std::string_view path) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
  std::vector<std::vector<std::string>> segments_;  // of each pattern, in routes_ order
};

// Splits "/a/b/c" into {"a", "b", "c"}; "/" is no segment at all.
std::vector<std::string_view> path_segments(std::string_view path);

}  // namespace cobrador::http
