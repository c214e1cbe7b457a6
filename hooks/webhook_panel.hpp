// The generic `webhook` adapter: POSTs the SPEC §7 JSON, signed with Standard Webhooks
// headers whose webhook-id is the action's idempotency key, so that a receiver can drop
// the duplicates that at-least-once delivery brings.
#pragma once

#include <boost/asio/io_context.hpp>

#include "net/http_client.hpp"
#include "hooks/panel.hpp"
#include "hooks/panel_config.hpp"
#include "util/standard_webhooks.hpp"

namespace cobrador::hooks {

class WebhookPanel : public Panel {
 public:
  WebhookPanel(PanelConfig config, net::HttpClient& http, boost::asio::io_context& io, Now now);
  void execute(const PanelCall& call, std::function<void(Outcome)> done) override;

 private:
  PanelConfig config_;
  // Keyed once for all the calls; a bad secret is refused at each call, as "cannot sign".
  Result<webhooks::Signer> signer_;
  net::HttpClient& http_;
  boost::asio::io_context& io_;
  Now now_;
};

// 202 is `accepted` (the receiver calls back later), any other 2xx is `done`; a 2xx JSON
// body may carry "location" (where a backup went) and "detail". Everything else as
// classify_http says.
Outcome interpret_webhook_response(const net::HttpResponse& response,
                                   std::chrono::system_clock::time_point now);

}  // namespace cobrador::hooks
