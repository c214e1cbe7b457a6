// The `cpanel` adapter: WHM API 1 over HTTPS with an API token. Suspend, unsuspend and
// terminate are one call each; a backup starts start_background_pkgacct and then polls
// get_pkgacct_session_state until the session completes or fails. WHM suspends a whole
// account: a suspension with mode outgoing_only is refused (hooks/suspend_modes.hpp).
#pragma once

#include <boost/asio/io_context.hpp>

#include <memory>

#include "net/http_client.hpp"
#include "hooks/panel.hpp"
#include "hooks/panel_config.hpp"

namespace cobrador::hooks {

class CpanelPanel : public Panel {
 public:
  CpanelPanel(PanelConfig config, net::HttpClient& http, boost::asio::io_context& io, Now now);
  void execute(const PanelCall& call, std::function<void(Outcome)> done) override;

  struct State;

 private:
  // Shared with the calls in flight, so that they survive this object being replaced.
  std::shared_ptr<const State> state_;
};

}  // namespace cobrador::hooks
