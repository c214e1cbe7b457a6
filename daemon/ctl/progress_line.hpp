// The progress line of long cobradorctl work (import, bank import, db copy, walk): redrawn in
// place on stderr at most ten times a second while the work runs, and wiped when it ends, so
// the result prints on a clean line. Drawn only when stderr is a terminal and --json is off:
// a script, a pipe or a log file sees nothing of it.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

#include "util/progress.hpp"

namespace cobrador::ctl {

class Context;

class ProgressLine {
 public:
  // `what` opens the line ("import invoices"); `unit` counts ("rows", "bytes", "customers").
  ProgressLine(const Context& ctx, std::string what, std::string unit);
  ~ProgressLine();
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  // What the library calls (any thread): draws the first step at once, then at most every
  // kRedraw, and the last step (done == total) always.
  void update(std::uint64_t done, std::uint64_t total);
  // A Progress that draws on this line, or an empty one when nothing is drawn.
  Progress progress();
  // Wipes the line, before the result or an error is printed (the destructor does too).
  void finish();

 private:
  static constexpr auto kRedraw = std::chrono::milliseconds{100};
  bool drawn_on_terminal_;
  std::string what_;
  std::string unit_;
  std::mutex mutex_;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_drawn_{};
  bool drawn_ = false;
};

}  // namespace cobrador::ctl
