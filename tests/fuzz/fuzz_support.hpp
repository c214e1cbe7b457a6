// What the fuzz targets share: reading the fuzzer's bytes as fields, and checking a property
// that must hold for every input. A broken property aborts, which libFuzzer reports as a
// finding with the input that caused it, like a crash or a sanitizer report.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace cobrador::fuzz {

// Aborts the run with `what` when `holds` is false.
inline void require(bool holds, const char* what) {
  if (holds) return;
  std::fprintf(stderr, "fuzz property broken: %s\n", what);
  std::abort();
}

// The fuzzer's bytes, taken from the front: a selector byte, a line, some bytes, or all that
// is left.
// An exhausted input gives zeros and empty strings, so that every input is a valid case.
class Input {
 public:
  Input(const std::uint8_t* data, std::size_t size) : rest_(reinterpret_cast<const char*>(data), size) {}

  std::uint8_t byte() {
    if (rest_.empty()) return 0;
    const auto b = static_cast<std::uint8_t>(rest_.front());
    rest_.remove_prefix(1);
    return b;
  }

  // Up to the next '\n' (not included), or everything when there is none.
  std::string_view line() {
    const auto end = rest_.find('\n');
    const auto taken = rest_.substr(0, end);
    rest_.remove_prefix(end == std::string_view::npos ? rest_.size() : end + 1);
    return taken;
  }

  // The next `count` bytes, or fewer at the end.
  std::string_view take(std::size_t count) {
    const auto taken = rest_.substr(0, count);
    rest_.remove_prefix(taken.size());
    return taken;
  }

  std::string_view rest() {
    const auto taken = rest_;
    rest_ = {};
    return taken;
  }

  bool empty() const { return rest_.empty(); }

 private:
  std::string_view rest_;
};

}  // namespace cobrador::fuzz
