// Implements the progress line: "\r", the text, and "erase to the end of the line", so a
// shorter text leaves nothing of a longer one behind.
#include "ctl/progress_line.hpp"

#include <unistd.h>

#include <cstdio>

#include "ctl/context.hpp"

namespace cobrador::ctl {

namespace {

constexpr const char* kEraseLine = "\r\x1b[K";

}  // namespace

ProgressLine::ProgressLine(const Context& ctx, std::string what, std::string unit)
    : drawn_on_terminal_(!ctx.json && isatty(STDERR_FILENO) == 1),
      what_(std::move(what)),
      unit_(std::move(unit)) {}

ProgressLine::~ProgressLine() { finish(); }

void ProgressLine::finish() {
  std::lock_guard lock(mutex_);
  if (!drawn_) return;
  drawn_ = false;
  drawn_on_terminal_ = false;  // nothing is drawn after the end
  std::fputs(kEraseLine, stderr);
  std::fflush(stderr);
}

void ProgressLine::update(std::uint64_t done, std::uint64_t total) {
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(mutex_);
  if (!drawn_on_terminal_) return;
  const bool last = total > 0 && done >= total;
  if (drawn_ && !last && now - last_drawn_ < kRedraw) return;
  last_drawn_ = now;
  drawn_ = true;
  const auto text = describe_progress(what_, unit_, done, total, now - started_);
  std::fprintf(stderr, "%s%s", kEraseLine, text.c_str());
  std::fflush(stderr);
}

Progress ProgressLine::progress() {
  if (!drawn_on_terminal_) return {};
  return [this](std::uint64_t done, std::uint64_t total) { update(done, total); };
}

}  // namespace cobrador::ctl
