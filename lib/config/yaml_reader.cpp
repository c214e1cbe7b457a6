// Implements key-by-key YAML reading with positioned error messages.
#include "config/yaml_reader.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "util/utf8.hpp"

namespace cobrador::config {

void Problems::add(const YAML::Mark& mark, const std::string& message) {
  if (mark.is_null()) {
    lines_.push_back(fmt::format("{}: {}", file_, message));
  } else {
    lines_.push_back(fmt::format("{}:{}:{}: {}", file_, mark.line + 1, mark.column + 1, message));
  }
}

std::string Problems::joined() const {
  std::string out;
  for (const auto& line : lines_) {
    if (!out.empty()) out += '\n';
    out += line;
  }
  return out;
}

MapReader::MapReader(const YAML::Node& node, std::string where, Problems& problems)
    : node_(node ? node : YAML::Node()), where_(std::move(where)), problems_(problems) {
  // A missing key comes as an invalid node that throws on use; a Null node reads as empty.
  if (node_ && !node_.IsMap() && !node_.IsNull()) {
    problems_.add(node_.Mark(), fmt::format("{} must be a mapping of keys to values",
                                            where_.empty() ? "the file" : where_));
    node_ = YAML::Node(YAML::NodeType::Map);
  }
}

bool MapReader::has(const std::string& key) const { return node_.IsMap() && node_[key]; }

YAML::Node MapReader::node(const std::string& key) {
  known_.insert(key);
  if (!node_.IsMap()) return YAML::Node(YAML::NodeType::Undefined);
  const YAML::Node& constant = node_;  // const lookup never inserts the key
  return constant[key];
}

void MapReader::error(const std::string& key, const std::string& message) {
  const YAML::Node value = node(key);
  problems_.add(value ? value.Mark() : node_.Mark(), fmt::format("{}: {}", path(key), message));
}

std::optional<std::string> MapReader::get_string(const std::string& key, bool required) {
  const YAML::Node value = node(key);
  if (!value) {
    if (required) problems_.add(node_.Mark(), fmt::format("{}: required key is missing", path(key)));
    return std::nullopt;
  }
  if (!value.IsScalar()) {
    error(key, "must be a single value");
    return std::nullopt;
  }
  return value.Scalar();
}

std::optional<long long> MapReader::get_int(const std::string& key, long long min, long long max,
                                            bool required) {
  const auto text = get_string(key, required);
  if (!text) return std::nullopt;
  long long number = 0;
  std::size_t used = 0;
  try {
    number = std::stoll(*text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text->size()) {
    error(key, fmt::format("'{}' is not a whole number", *text));
    return std::nullopt;
  }
  if (number < min || number > max) {
    error(key, fmt::format("{} is out of range ({} to {})", number, min, max));
    return std::nullopt;
  }
  return number;
}

std::optional<bool> MapReader::get_bool(const std::string& key) {
  const auto text = get_string(key);
  if (!text) return std::nullopt;
  if (*text == "true") return true;
  if (*text == "false") return false;
  error(key, fmt::format("'{}' is not true or false", *text));
  return std::nullopt;
}

std::optional<std::vector<std::string>> MapReader::get_string_list(const std::string& key) {
  const YAML::Node value = node(key);
  if (!value) return std::nullopt;
  if (!value.IsSequence()) {
    error(key, "must be a list, e.g. [a, b]");
    return std::nullopt;
  }
  std::vector<std::string> items;
  for (const auto& item : value) {
    if (!item.IsScalar()) {
      problems_.add(item.Mark(), fmt::format("{}: list items must be single values", path(key)));
      return std::nullopt;
    }
    items.push_back(item.Scalar());
  }
  return items;
}

std::optional<std::string> MapReader::get_choice(const std::string& key,
                                                 const std::vector<std::string>& choices, bool required) {
  const auto text = get_string(key, required);
  if (!text) return std::nullopt;
  for (const auto& choice : choices) {
    if (*text == choice) return text;
  }
  error(key, fmt::format("'{}' is not one of: {}", *text, fmt::join(choices, ", ")));
  return std::nullopt;
}

void MapReader::finish() {
  if (!node_.IsMap()) return;
  for (const auto& entry : node_) {
    const auto key = entry.first.as<std::string>("");
    if (!known_.count(key)) {
      problems_.add(entry.first.Mark(),
                    fmt::format("unknown key '{}'{}", key, where_.empty() ? "" : " in " + where_));
    }
  }
}

namespace {

// yaml-cpp keeps both entries of a key written twice and node[key] answers the first: the
// operator who edits the second would see no effect. Every mapping, at any depth, is checked.
void report_duplicate_keys(const YAML::Node& node, Problems& problems) {
  if (node.IsSequence()) {
    for (const auto& item : node) report_duplicate_keys(item, problems);
    return;
  }
  if (!node.IsMap()) return;
  std::map<std::string, YAML::Mark> seen;
  for (const auto& entry : node) {
    if (entry.first.IsScalar()) {
      const auto& key = entry.first.Scalar();
      const auto [first, fresh] = seen.emplace(key, entry.first.Mark());
      if (!fresh) {
        problems.add(entry.first.Mark(), fmt::format("key '{}' appears twice (first at line {}, column {})",
                                                     key, first->second.line + 1, first->second.column + 1));
      }
    }
    report_duplicate_keys(entry.second, problems);
  }
}

}  // namespace

YAML::Node load_yaml(const std::string& text, Problems& problems) {
  // Names, subjects and URLs from these files end up in notices and JSON: UTF-8 only.
  if (const auto bad = utf8::first_invalid(text)) {
    YAML::Mark mark;
    mark.pos = static_cast<int>(*bad);
    mark.line =
        static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(*bad), '\n'));
    const auto line_break = text.find_last_of('\n', *bad);  // text[*bad] itself is no line break
    mark.column = static_cast<int>(line_break == std::string::npos ? *bad : *bad - line_break - 1);
    problems.add(mark, "not valid UTF-8");
    return YAML::Node();
  }
  try {
    auto document = YAML::Load(text);
    report_duplicate_keys(document, problems);
    return document;
  } catch (const YAML::Exception& e) {
    problems.add(e.mark, e.msg);
  }
  return YAML::Node();
}

}  // namespace cobrador::config
