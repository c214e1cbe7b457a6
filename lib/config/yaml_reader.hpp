// Reads a YAML mapping key by key and collects every problem as "file:line:col: message".
// Both policy.yaml and cobrador.yaml are read through it, so that unknown keys are refused by
// name and every error points at the place in the file (yaml-cpp marks are 0-based).
#pragma once

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "util/result.hpp"

namespace cobrador::config {

// Where problems go while a file is read; a file with any problem is refused whole.
class Problems {
 public:
  explicit Problems(std::string file) : file_(std::move(file)) {}

  void add(const YAML::Mark& mark, const std::string& message);
  bool empty() const { return lines_.empty(); }
  const std::vector<std::string>& lines() const { return lines_; }
  std::string joined() const;  // one problem a line
  const std::string& file() const { return file_; }

 private:
  std::string file_;
  std::vector<std::string> lines_;
};

// One mapping. Each get_* marks the key as known; finish() reports the keys nobody asked for.
class MapReader {
 public:
  // `where` names the mapping in messages ("stages[2].when"); empty for the top level.
  MapReader(const YAML::Node& node, std::string where, Problems& problems);

  bool has(const std::string& key) const;
  YAML::Node node(const std::string& key);  // marks the key as known; Null node if absent
  const YAML::Node& self() const { return node_; }
  std::string path(const std::string& key) const { return where_.empty() ? key : where_ + "." + key; }

  std::optional<std::string> get_string(const std::string& key, bool required = false);
  std::optional<long long> get_int(const std::string& key, long long min, long long max,
                                   bool required = false);
  std::optional<bool> get_bool(const std::string& key);
  std::optional<std::vector<std::string>> get_string_list(const std::string& key);
  // A value among `choices`; anything else is an error listing them.
  std::optional<std::string> get_choice(const std::string& key, const std::vector<std::string>& choices,
                                        bool required = false);

  // Reports every key that no get_* or node() asked for.
  void finish();
  // finish(), then `value` when nothing in the whole document was wrong, else every problem.
  template <class T>
  Result<T> finish(T value) {
    finish();
    if (!problems_.empty()) return make_error(problems_.joined());
    return value;
  }

  void error(const std::string& key, const std::string& message);  // at the key's value
  Problems& problems() { return problems_; }

 private:
  YAML::Node node_;
  std::string where_;
  Problems& problems_;
  std::set<std::string> known_;
};

// Parses text into a document, or adds the YAML syntax error to problems and returns Null.
YAML::Node load_yaml(const std::string& text, Problems& problems);

}  // namespace cobrador::config
