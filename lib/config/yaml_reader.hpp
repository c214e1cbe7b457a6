// Reads a YAML mapping key by key and collects every problem as "file:line:col: message".
// Both policy.yaml and cobrador.yaml are read through it, so that unknown keys are refused by
// name and every error points at the place in the file (yaml-cpp marks are 0-based).
#pragma once

#include <functional>
#include <initializer_list>
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

// Reads each entry of the mapping under `key` (api_clients, webhook_sources, panels: a name
// the operator chose, then its settings) as `read(name, map)` with the entry's own MapReader,
// named "key.name" in messages, and reports the entry's unknown keys after it.
template <class ReadEntry>
void read_entries(MapReader& parent, const std::string& key, ReadEntry read) {
  const YAML::Node entries = parent.node(key);
  if (!entries || !entries.IsMap()) return;
  for (const auto& entry : entries) {
    const auto name = entry.first.as<std::string>("");
    MapReader map(entry.second, parent.path(key) + "." + name, parent.problems());
    read(name, map);
    map.finish();
  }
}

// A part of a file's top level read into the value the whole file becomes.
template <class T>
using SectionReader = void (*)(MapReader& top, T& value);

// Reads a whole file into `value`, one section after the other, and gives the value only when
// nothing anywhere was wrong (a YAML syntax error, an unknown key, a bad value), else every
// problem, each with its place. `not_a_mapping` replaces the generic message for a file whose
// top level is not a mapping, when the file's kind has a better one.
template <class T>
Result<T> read_document(const std::string& text, const std::string& label, T value,
                        std::initializer_list<SectionReader<T>> sections,
                        const std::string& not_a_mapping = "") {
  Problems problems(label);
  const YAML::Node document = load_yaml(text, problems);
  if (!problems.empty()) return make_error(problems.joined());
  if (!not_a_mapping.empty() && !document.IsMap()) {
    problems.add(document.Mark(), not_a_mapping);
    return make_error(problems.joined());
  }
  MapReader top(document, "", problems);
  for (const auto read_section : sections) read_section(top, value);
  return top.finish(std::move(value));
}

}  // namespace cobrador::config
