// The progress line's text (util/progress): counts grouped by three, a percentage with a
// total, the rate and the time left once there is something to measure.
#include <catch2/catch.hpp>

#include "util/progress.hpp"

using namespace cobrador;
using namespace std::chrono_literals;

namespace progress_test {

TEST_CASE("the progress line says how far, how fast and how long is left", "[progress]") {
  CHECK(grouped(0) == "0");
  CHECK(grouped(999) == "999");
  CHECK(grouped(1000) == "1,000");
  CHECK(grouped(1234567) == "1,234,567");
  CHECK(grouped(18446744073709551615ull) == "18,446,744,073,709,551,615");

  // Too early for a rate: the count alone.
  CHECK(describe_progress("import invoices", "rows", 100, 1000000, 10ms) ==
        "import invoices: 100 of 1,000,000 rows (0%)");
  CHECK(describe_progress("import invoices", "rows", 120000, 1000000, 2500ms) ==
        "import invoices: 120,000 of 1,000,000 rows (12%), 48,000 rows/s, 18 s left");
  CHECK(describe_progress("import invoices", "rows", 1000000, 1000000, 20s) ==
        "import invoices: 1,000,000 of 1,000,000 rows (100%), 50,000 rows/s");
  // No total known: no percentage, no time left.
  CHECK(describe_progress("bank import", "bytes", 5000000, 0, 1s) ==
        "bank import: 5,000,000 bytes, 5,000,000 bytes/s");
  // More done than the total said (a file that grew): never past 100%.
  CHECK(describe_progress("walk", "customers", 12, 10, 1s) ==
        "walk: 12 of 10 customers (100%), 12 customers/s");
  CHECK(describe_progress("walk", "customers", 0, 10, 1s) == "walk: 0 of 10 customers (0%)");

  CHECK(describe_duration(0s) == "<1 s");
  CHECK(describe_duration(42s) == "42 s");
  CHECK(describe_duration(200s) == "3 min 20 s");
  CHECK(describe_duration(7500s) == "2 h 5 min");
}

}  // namespace progress_test
