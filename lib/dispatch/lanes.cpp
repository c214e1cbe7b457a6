// Implements dispatch/lanes.hpp.
#include "dispatch/lanes.hpp"

#include <algorithm>
#include <stdexcept>

namespace cobrador::dispatch {

void Lanes::add(const std::string& lane, int limit) {
  const auto [it, fresh] = lanes_.try_emplace(lane);
  if (!fresh) capacity_ -= static_cast<std::size_t>(it->second.limit);
  it->second.limit = std::max(limit, 1);
  capacity_ += static_cast<std::size_t>(it->second.limit);
}

void Lanes::enqueue(const std::string& lane, Action action) {
  const auto it = lanes_.find(lane);
  if (it == lanes_.end()) throw std::logic_error("no lane " + lane);
  it->second.waiting.push_back(std::move(action));
  ++waiting_;
}

std::vector<Lanes::Ready> Lanes::take_ready() {
  std::vector<Ready> ready;
  // One per lane per round, so that a long queue of one lane does not starve another when
  // the caller stops early.
  bool took = true;
  while (took) {
    took = false;
    for (auto& [name, lane] : lanes_) {
      if (lane.waiting.empty() || lane.busy >= lane.limit) continue;
      ready.push_back({name, std::move(lane.waiting.front())});
      lane.waiting.pop_front();
      ++lane.busy;
      ++busy_;
      --waiting_;
      took = true;
    }
  }
  return ready;
}

bool Lanes::startable() const {
  return std::any_of(lanes_.begin(), lanes_.end(), [](const auto& entry) {
    return !entry.second.waiting.empty() && entry.second.busy < entry.second.limit;
  });
}

void Lanes::finished(const std::string& lane) {
  const auto it = lanes_.find(lane);
  if (it == lanes_.end() || it->second.busy == 0) throw std::logic_error("no call in flight on " + lane);
  --it->second.busy;
  --busy_;
}

std::vector<Action> Lanes::take_waiting(const std::string& lane) {
  std::vector<Action> out;
  const auto it = lanes_.find(lane);
  if (it == lanes_.end()) return out;
  for (auto& action : it->second.waiting) out.push_back(std::move(action));
  waiting_ -= it->second.waiting.size();
  it->second.waiting.clear();
  return out;
}

std::vector<Action> Lanes::take_all_waiting() {
  std::vector<Action> out;
  for (const auto& [name, lane] : lanes_) {
    auto taken = take_waiting(name);
    out.insert(out.end(), std::make_move_iterator(taken.begin()), std::make_move_iterator(taken.end()));
  }
  return out;
}

std::vector<std::string> Lanes::names() const {
  std::vector<std::string> out;
  for (const auto& [name, lane] : lanes_) out.push_back(name);
  return out;
}

std::vector<std::string> Lanes::full() const {
  std::vector<std::string> out;
  for (const auto& [name, lane] : lanes_) {
    if (lane.waiting.size() >= static_cast<std::size_t>(lane.limit)) out.push_back(name);
  }
  return out;
}

std::size_t Lanes::room(const std::set<std::string>& dry) const {
  std::size_t room = 0;
  for (const auto& [name, lane] : lanes_) {
    if (dry.contains(name)) continue;
    const auto used = static_cast<std::size_t>(lane.busy) + lane.waiting.size();
    const auto most = 2 * static_cast<std::size_t>(lane.limit);
    if (lane.waiting.size() < static_cast<std::size_t>(lane.limit) && used < most) room += most - used;
  }
  return room;
}

}  // namespace cobrador::dispatch
