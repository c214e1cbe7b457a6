// Implements the local-name lookups and element paths of camt_xml.hpp.
#include "bank/camt_xml.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "bank/text.hpp"

namespace cobrador::bank::camt {

namespace {

std::string_view prefix_of(const pugi::xml_node& node) {
  const std::string_view name = node.name();
  const auto colon = name.find(':');
  return colon == std::string_view::npos ? std::string_view{} : name.substr(0, colon);
}

bool always_indexed(std::string_view name) {
  constexpr std::array<std::string_view, 4> kRepeating{"Stmt", "Ntfctn", "Ntry", "TxDtls"};
  return std::find(kRepeating.begin(), kRepeating.end(), name) != kRepeating.end();
}

// 1-based position among same-named siblings, and how many there are.
std::pair<int, int> position_among_siblings(const pugi::xml_node& node) {
  int position = 0;
  int count = 0;
  for (auto sibling = node.parent().first_child(); sibling; sibling = sibling.next_sibling()) {
    if (sibling.type() != pugi::node_element || local_name(sibling) != local_name(node)) continue;
    ++count;
    if (sibling == node) position = count;
  }
  return {position, count};
}

std::string path_step(const pugi::xml_node& node) {
  const auto name = local_name(node);
  const auto [position, count] = position_among_siblings(node);
  if (count > 1 || always_indexed(name)) return fmt::format("{}[{}]", name, position);
  return std::string(name);
}

}  // namespace

std::string_view local_name(const pugi::xml_node& node) {
  const std::string_view name = node.name();
  const auto colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

pugi::xml_node child(const pugi::xml_node& node, std::string_view path) {
  pugi::xml_node current = node;
  while (current && !path.empty()) {
    const auto slash = path.find('/');
    const auto name = path.substr(0, slash);
    path = slash == std::string_view::npos ? std::string_view{} : path.substr(slash + 1);
    auto next = current.first_child();
    while (next && (next.type() != pugi::node_element || local_name(next) != name))
      next = next.next_sibling();
    current = next;
  }
  return current;
}

std::vector<pugi::xml_node> children(const pugi::xml_node& node, std::string_view name) {
  std::vector<pugi::xml_node> found;
  for (auto c = node.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_element && local_name(c) == name) found.push_back(c);
  }
  return found;
}

std::string_view text(const pugi::xml_node& node) { return trim(node.child_value()); }

std::string_view namespace_uri(const pugi::xml_node& node) {
  const auto prefix = prefix_of(node);
  const std::string attribute = prefix.empty() ? "xmlns" : fmt::format("xmlns:{}", prefix);
  for (auto n = node; n; n = n.parent()) {
    if (const auto declared = n.attribute(attribute.c_str())) return declared.value();
  }
  return {};
}

std::string element_path(const pugi::xml_node& node) {
  std::string path;
  for (auto n = node; n && n.type() == pugi::node_element; n = n.parent()) {
    path = path.empty() ? path_step(n) : fmt::format("{}/{}", path_step(n), path);
  }
  return path;
}

std::string element_path_below(const pugi::xml_node& ancestor, std::string_view ancestor_path,
                               const pugi::xml_node& node) {
  std::string below;
  for (auto n = node; n && n != ancestor; n = n.parent()) {
    below = below.empty() ? path_step(n) : fmt::format("{}/{}", path_step(n), below);
  }
  return below.empty() ? std::string(ancestor_path) : fmt::format("{}/{}", ancestor_path, below);
}

std::string missing_path(const pugi::xml_node& parent, std::string_view name) {
  return fmt::format("{}/{}", element_path(parent), name);
}

std::string Place::missing(const pugi::xml_node& parent, std::string_view name) const {
  return fmt::format("{}/{}", path(parent), name);
}

}  // namespace cobrador::bank::camt
