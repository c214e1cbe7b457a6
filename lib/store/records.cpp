// Implements the list encoding of columns ("a;b;c") that the records' lists are kept in.
#include "store/records.hpp"

#include "util/split.hpp"

namespace cobrador::store {

std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> items;
  if (text.empty()) return items;  // most rows' lists: no pieces to cut
  for (auto item : split(text, ';')) {
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!item.empty()) items.emplace_back(item);
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
