// The `exec` adapter: runs the operator's program (an ISP's router block script, say) as
//   <command> <kind> <account> <service id> <idempotency key>
// with the SPEC §7 JSON on stdin and exec_environment() as its whole environment. Exit 0 is done, 75
// (EX_TEMPFAIL) is retry, anything else is failed with the last line of stderr as the reason. Past the
// timeout the program's whole process group is killed and the call is retried. Nothing blocks the io_context:
// the pipes are read with asio and the child is reaped with waitpid(WNOHANG).
#pragma once

#include <sys/types.h>

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "hooks/panel.hpp"
#include "hooks/panel_config.hpp"

namespace cobrador::hooks {

class ExecPanel : public Panel {
 public:
  ExecPanel(PanelConfig config, boost::asio::io_context& io);
  void execute(const PanelCall& call, std::function<void(Outcome)> done) override;

 private:
  PanelConfig config_;
  boost::asio::io_context& io_;
};

// What a finished run means. `wait_status` is waitpid's; `timed_out` says cobrador killed it.
// On success of a backup, the last line of stdout is where the backup went.
Outcome interpret_exit(PanelCall::Kind kind, int wait_status, bool timed_out,
                       std::chrono::milliseconds timeout, std::string_view out, std::string_view err);

// The program's environment: PATH (a fixed one) and LANG=C.UTF-8, nothing else. Nothing of
// the daemon's own environment is passed on: not $CREDENTIALS_DIRECTORY (the folder of every
// token and password), nor whatever the unit or a shell put there; what the program needs
// about the call is in its arguments and on stdin.
std::vector<std::string> exec_environment();

// The last line of `text` that is not blank, without surrounding whitespace.
std::string last_line(std::string_view text);

inline constexpr int exit_tempfail = 75;  // EX_TEMPFAIL from sysexits.h

}  // namespace cobrador::hooks
