// The `directadmin` adapter: CMD_API_SELECT_USERS for suspend, unsuspend and terminate, with
// HTTP basic auth (user + login key). A backup logs in as the account ("admin|user"), lists
// the account's backups, queues one with CMD_API_SITE_BACKUP, then polls the listing until a
// new file appears: DirectAdmin queues backups and has no job id to ask about. A suspension
// with mode outgoing_only is refused: DirectAdmin suspends a whole user (hooks/suspend_modes.hpp).
#pragma once

#include <boost/asio/io_context.hpp>

#include <memory>

#include "net/http_client.hpp"
#include "hooks/panel.hpp"
#include "hooks/panel_config.hpp"

namespace cobrador::hooks {

class DirectAdminPanel : public Panel {
 public:
  DirectAdminPanel(PanelConfig config, net::HttpClient& http, boost::asio::io_context& io, Now now);
  void execute(const PanelCall& call, std::function<void(Outcome)> done) override;

  struct State;

 private:
  std::shared_ptr<const State> state_;
};

}  // namespace cobrador::hooks
