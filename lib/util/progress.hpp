// How long work tells how far it got: a Progress is called with what is done of a total (0
// when the total is not known) — rows of an import, bytes of a bank file, customers of a walk.
// The library calls it between steps; only cobradorctl listens, drawing a line on a terminal
// (daemon/ctl/progress_line.hpp). An empty Progress costs a test of a std::function.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace cobrador {

using Progress = std::function<void(std::uint64_t done, std::uint64_t total)>;

// The progress line's text: "import invoices: 120,000 of 1,000,000 rows (12%), 48,000 rows/s,
// 18 s left"; without a total, "walk: 20,000 customers, 9,500 customers/s". The rate and the
// time left appear once `elapsed` is long enough to say something (a quarter of a second).
std::string describe_progress(std::string_view what, std::string_view unit, std::uint64_t done,
                              std::uint64_t total, std::chrono::steady_clock::duration elapsed);

// "1,234,567": the digits grouped by three, as a person reads a count.
std::string grouped(std::uint64_t count);

// "<1 s", "42 s", "3 min 20 s", "2 h 5 min".
std::string describe_duration(std::chrono::seconds duration);

}  // namespace cobrador
