// Implements matching by segments, placeholders included.
#include "http/router.hpp"

#include <stdexcept>

namespace cobrador::http {

namespace {

bool is_placeholder(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

// Fills `params` when every segment matches.
bool matches(const std::vector<std::string>& pattern, const std::vector<std::string_view>& path,
             Params& params) {
  if (pattern.size() != path.size()) return false;
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (!is_placeholder(pattern[i])) {
      if (pattern[i] != path[i]) return false;
      continue;
    }
    std::string value;
    if (path[i].empty() || !percent_decode(path[i], value, false) || value.empty()) return false;
    params[pattern[i].substr(1, pattern[i].size() - 2)] = std::move(value);
  }
  return true;
}

}  // namespace

std::vector<std::string_view> path_segments(std::string_view path) {
  std::vector<std::string_view> out;
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  if (path.empty()) return out;
  while (true) {
    const auto slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

void Router::add(std::string method, std::string pattern, Handler handler) {
  std::vector<std::string> segments;
  for (const auto segment : path_segments(pattern)) segments.emplace_back(segment);
  for (std::size_t i = 0; i < routes_.size(); ++i) {
    if (routes_[i].method == method && segments_[i] == segments) {
      throw std::logic_error("route added twice: " + method + " " + pattern);
    }
  }
  routes_.push_back({std::move(method), std::move(pattern), std::move(handler)});
  segments_.push_back(std::move(segments));
}

Match Router::match(std::string_view method, std::string_view path) const {
  const auto segments = path_segments(path);
  Match found;
  for (std::size_t i = 0; i < routes_.size(); ++i) {
    Params params;
    if (!matches(segments_[i], segments, params)) continue;
    if (routes_[i].method == method) {
      found.route = &routes_[i];
      found.params = std::move(params);
      found.allowed.clear();
      return found;
    }
    found.allowed.push_back(routes_[i].method);
  }
  return found;
}

}  // namespace cobrador::http
