// The `plesk` adapter: one XML API packet per call, authenticated with the `KEY` header
// (a secret key made with `plesk bin secret_key`). A suspension with mode outgoing_only is
// refused: a subscription's status takes the whole webspace away (hooks/suspend_modes.hpp).
#pragma once

#include <boost/asio/io_context.hpp>

#include <memory>

#include "net/http_client.hpp"
#include "hooks/panel.hpp"
#include "hooks/panel_config.hpp"

namespace cobrador::hooks {

class PleskPanel : public Panel {
 public:
  PleskPanel(PanelConfig config, net::HttpClient& http, boost::asio::io_context& io, Now now);
  void execute(const PanelCall& call, std::function<void(Outcome)> done) override;

 private:
  PanelConfig config_;
  net::HttpClient& http_;
  boost::asio::io_context& io_;
  Now now_;
};

// The outcome of one answer to a packet for `call`.
Outcome interpret_plesk_response(const PanelCall& call, const net::HttpResponse& response,
                                 std::chrono::system_clock::time_point now);

}  // namespace cobrador::hooks
