// Concurrency limits: one lane per panel and per channel, each with its own limit of calls at
// once and a queue of claimed actions waiting for a slot. A slow panel fills its own lane and
// nobody else's.
#pragma once

#include <cstddef>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "domain/entities.hpp"

namespace cobrador::dispatch {

class Lanes {
 public:
  struct Ready {
    std::string lane;
    Action action;
  };

  // Declares a lane; an action for an undeclared lane cannot be queued.
  void add(const std::string& lane, int limit);
  bool has(const std::string& lane) const { return lanes_.contains(lane); }

  void enqueue(const std::string& lane, Action action);
  // The waiting actions that may start now, oldest first per lane, lanes taken in turn; each
  // holds a slot of its lane until finished() gives it back.
  std::vector<Ready> take_ready();
  // Some lane has an action waiting and a slot free: take_ready() would return something.
  bool startable() const;
  void finished(const std::string& lane);

  // Takes every waiting action of one lane (a panel just disabled) or of all (stopping).
  std::vector<Action> take_waiting(const std::string& lane);
  std::vector<Action> take_all_waiting();

  // A lane is full when as many actions wait on it as it runs at once: a claim should bring
  // it nothing more for now.
  std::vector<std::string> full() const;
  // How many actions a claim may bring: over the lanes that are neither full nor `dry`
  // (known to have nothing due), up to twice each one's limit, counting what runs and waits
  // there already.
  std::size_t room(const std::set<std::string>& dry = {}) const;
  std::vector<std::string> names() const;

  std::size_t busy() const { return busy_; }
  std::size_t waiting() const { return waiting_; }
  std::size_t capacity() const { return capacity_; }

 private:
  struct Lane {
    int limit = 1;
    int busy = 0;
    std::deque<Action> waiting;
  };

  std::map<std::string, Lane> lanes_;
  std::size_t busy_ = 0;
  std::size_t waiting_ = 0;
  std::size_t capacity_ = 0;
};

}  // namespace cobrador::dispatch
