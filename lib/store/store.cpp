// Implements what all stores share: the list encoding of columns ("a;b;c") and adding
// several actions at once.
#include "store/store.hpp"

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

int add_actions(Store& store, const std::vector<Action>& actions, Instant now, std::string_view why) {
  int added = 0;
  for (const auto& action : actions) {
    if (store.add_action(action, now, why)) ++added;
  }
  return added;
}

}  // namespace cobrador::store
