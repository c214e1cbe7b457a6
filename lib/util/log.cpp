#include "util/log.hpp"

#include <unistd.h>

#include <string>

namespace cobrador::log {

void write(Level level, std::string_view message) {
  // One write() per call so that lines from different threads never interleave mid-line.
  std::string out;
  const std::string prefix = fmt::format("<{}>", static_cast<int>(level));
  std::size_t start = 0;
  while (start <= message.size()) {
    const auto end = std::min(message.find('\n', start), message.size());
    out += prefix;
    out.append(message.substr(start, end - start));
    out += '\n';
    start = end + 1;
  }
  const char* data = out.data();
  std::size_t left = out.size();
  while (left > 0) {
    const ssize_t n = ::write(STDERR_FILENO, data, left);
    if (n <= 0) return;
    data += n;
    left -= static_cast<std::size_t>(n);
  }
}

}  // namespace cobrador::log
