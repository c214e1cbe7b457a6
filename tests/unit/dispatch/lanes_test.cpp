// Concurrency lanes: per-lane limits, turns between lanes, slots given back.
#include <catch2/catch.hpp>

#include "dispatch/lanes.hpp"

using namespace cobrador;
using namespace cobrador::dispatch;

namespace {

Action numbered(std::int64_t id) {
  Action a;
  a.id = id;
  return a;
}

std::vector<std::string> lanes_of(const std::vector<Lanes::Ready>& ready) {
  std::vector<std::string> out;
  for (const auto& r : ready) out.push_back(r.lane + ":" + std::to_string(r.action.id));
  return out;
}

}  // namespace

// No lane runs more than its limit; a busy panel does not hold up the e-mail.
TEST_CASE("each lane runs at most its limit and lanes take turns", "[dispatch]") {
  Lanes lanes;
  lanes.add("panel:a", 2);
  lanes.add("channel:email", 1);
  CHECK(lanes.capacity() == 3);
  CHECK_FALSE(lanes.startable());
  for (int i = 1; i <= 4; ++i) lanes.enqueue("panel:a", numbered(i));
  lanes.enqueue("channel:email", numbered(10));
  lanes.enqueue("channel:email", numbered(11));
  CHECK(lanes_of(lanes.take_ready()) ==
        std::vector<std::string>{"channel:email:10", "panel:a:1", "panel:a:2"});
  CHECK(lanes.take_ready().empty());
  CHECK_FALSE(lanes.startable());  // actions wait, but every slot is taken
  CHECK(lanes.busy() == 3);
  CHECK(lanes.waiting() == 3);
  lanes.finished("panel:a");
  CHECK(lanes.startable());
  CHECK(lanes_of(lanes.take_ready()) == std::vector<std::string>{"panel:a:3"});
  CHECK(lanes.take_waiting("panel:a").size() == 1);
  CHECK(lanes.take_all_waiting().size() == 1);
  CHECK(lanes.waiting() == 0);
  CHECK_THROWS(lanes.enqueue("panel:unknown", numbered(99)));
}

// A lane with as many waiting as it runs is full; room counts only the others, up to twice
// each one's limit.
TEST_CASE("a full lane gives no room to claim for", "[dispatch]") {
  Lanes lanes;
  lanes.add("panel:slow", 1);
  lanes.add("channel:sms", 4);
  CHECK(lanes.room() == 2 + 8);
  lanes.enqueue("panel:slow", numbered(1));
  lanes.enqueue("panel:slow", numbered(2));
  CHECK(lanes.take_ready().size() == 1);
  CHECK(lanes.full() == std::vector<std::string>{"panel:slow"});
  CHECK(lanes.room() == 8);
  lanes.enqueue("channel:sms", numbered(3));
  CHECK(lanes.room() == 7);
  // A lane known to have nothing due gives no room either.
  CHECK(lanes.room({"channel:sms"}) == 0);
  CHECK(lanes.names() == std::vector<std::string>{"channel:sms", "panel:slow"});
}
