// Waits for a backup that a panel runs in the background: repeats an asynchronous check at a
// fixed interval until the check reports an outcome, or gives up after a limit. Polls are
// counted rather than timed, so nothing here reads a clock.
#pragma once

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "hooks/adapter_support.hpp"

namespace cobrador::hooks {

// One check: calls its argument with an Outcome when the backup is over (either way), or
// with nullopt while it still runs.
using BackupCheck = std::function<void(std::function<void(std::optional<Outcome>)>)>;

// Checks after `interval`, then every `interval`, at most limit / interval times (at least
// once); past that, `done` gets `retry` saying `what` is still running.
void poll_backup(boost::asio::io_context& io, std::chrono::milliseconds interval,
                 std::chrono::milliseconds limit, BackupCheck check, Done done, std::string what);

}  // namespace cobrador::hooks
