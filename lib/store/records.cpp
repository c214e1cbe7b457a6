// Implements the list encoding of columns ("a;b;c") that the records' lists are kept in.
#include "store/records.hpp"

namespace cobrador::store {

std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> items;
  while (!text.empty()) {
    const auto semi = text.find(';');
    auto item = text.substr(0, semi);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!item.empty()) items.emplace_back(item);
    if (semi == std::string_view::npos) break;
    text.remove_prefix(semi + 1);
  }
  return items;
}

std::string join_list(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += ';';
    out += item;
  }
  return out;
}

}  // namespace cobrador::store
