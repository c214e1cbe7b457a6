// Logging for a systemd service: one event a line on stderr, each line prefixed with its
// sd-daemon priority ("<3>" for errors...) so that journald records the level. Never pass
// secrets here (ARCHITECTURE rule 8).
#pragma once

#include <string_view>
#include <utility>

#include <fmt/format.h>

namespace cobrador::log {

enum class Level { error = 3, warning = 4, notice = 5, info = 6, debug = 7 };

// Writes `message` at `level`; a message of several lines becomes several prefixed lines.
void write(Level level, std::string_view message);

template <class... Args>
void error(fmt::format_string<Args...> format, Args&&... args) {
  write(Level::error, fmt::format(format, std::forward<Args>(args)...));
}
template <class... Args>
void warning(fmt::format_string<Args...> format, Args&&... args) {
  write(Level::warning, fmt::format(format, std::forward<Args>(args)...));
}
template <class... Args>
void info(fmt::format_string<Args...> format, Args&&... args) {
  write(Level::info, fmt::format(format, std::forward<Args>(args)...));
}

}  // namespace cobrador::log
