// ReadAhead (util/read_ahead.hpp): batches arrive in order, a producer's exception arrives
// after the batches made before it, and a consumer that stops early ends the producer.
#include <atomic>
#include <stdexcept>
#include <vector>

#include <catch2/catch.hpp>

#include "util/read_ahead.hpp"

using namespace cobrador;

namespace read_ahead_test {

TEST_CASE("read-ahead hands the batches out in the order they were made", "[read_ahead]") {
  int made = 0;
  ReadAhead<std::vector<int>> ahead(
      [&]() -> std::optional<std::vector<int>> {
        if (made == 100) return std::nullopt;
        ++made;
        return std::vector<int>{made, -made};
      },
      2);
  std::vector<int> seen;
  while (auto batch = ahead.next()) seen.insert(seen.end(), batch->begin(), batch->end());
  REQUIRE(seen.size() == 200);
  for (int i = 0; i < 100; ++i) {
    CHECK(seen[static_cast<std::size_t>(2 * i)] == i + 1);
    CHECK(seen[static_cast<std::size_t>(2 * i + 1)] == -(i + 1));
  }
  CHECK_FALSE(ahead.next());  // and stays at its end
}

TEST_CASE("read-ahead passes the producer's exception on after its earlier batches", "[read_ahead]") {
  int made = 0;
  ReadAhead<int> ahead([&]() -> std::optional<int> {
    if (made == 3) throw std::runtime_error("the file went away");
    return ++made;
  });
  CHECK(*ahead.next() == 1);
  CHECK(*ahead.next() == 2);
  CHECK(*ahead.next() == 3);
  CHECK_THROWS_WITH(ahead.next(), "the file went away");
  CHECK_FALSE(ahead.next());
}

TEST_CASE("a consumer that stops early ends a producer that would never end", "[read_ahead]") {
  std::atomic<int> made{0};
  {
    ReadAhead<int> ahead([&]() -> std::optional<int> { return ++made; }, 3);
    CHECK(*ahead.next() == 1);
  }  // the destructor stops and joins the producer, which otherwise runs forever
  const int after = made.load();
  CHECK(after <= 1 + 3 + 1);  // the one taken, the three waiting, the one being made
}

}  // namespace read_ahead_test
