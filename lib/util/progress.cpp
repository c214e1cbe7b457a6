// Implements the progress line's text.
#include "util/progress.hpp"

#include <fmt/format.h>

namespace cobrador {

namespace {

constexpr auto kLongEnoughForARate = std::chrono::milliseconds{250};

}  // namespace

std::string grouped(std::uint64_t count) {
  auto digits = std::to_string(count);
  for (auto at = digits.size(); at > 3; at -= 3) digits.insert(at - 3, 1, ',');
  return digits;
}

std::string describe_duration(std::chrono::seconds duration) {
  const auto total = duration.count();
  if (total < 1) return "<1 s";
  if (total < 60) return fmt::format("{} s", total);
  if (total < 3600) return fmt::format("{} min {} s", total / 60, total % 60);
  return fmt::format("{} h {} min", total / 3600, total % 3600 / 60);
}

std::string describe_progress(std::string_view what, std::string_view unit, std::uint64_t done,
                              std::uint64_t total, std::chrono::steady_clock::duration elapsed) {
  std::string line = total > 0 ? fmt::format("{}: {} of {} {} ({}%)", what, grouped(done), grouped(total),
                                             unit, done >= total ? 100 : done * 100 / total)
                               : fmt::format("{}: {} {}", what, grouped(done), unit);
  if (elapsed < kLongEnoughForARate || done == 0) return line;
  const double seconds = std::chrono::duration<double>(elapsed).count();
  const double rate = static_cast<double>(done) / seconds;
  line += fmt::format(", {} {}/s", grouped(static_cast<std::uint64_t>(rate)), unit);
  if (total > done) {
    const auto left =
        std::chrono::seconds{static_cast<std::int64_t>(static_cast<double>(total - done) / rate)};
    line += fmt::format(", {} left", describe_duration(left));
  }
  return line;
}

}  // namespace cobrador
