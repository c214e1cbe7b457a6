// The `fossbilling` adapter: suspend, unsuspend and terminate go through FOSSBilling's admin
// API (order/suspend with the reason, order/unsuspend, order/cancel), so that the order's state
// in FOSSBilling and its server agree. The service's account is the FOSSBilling order id. The
// admin API takes HTTP basic auth (user "admin", the API key as password) and answers
// {"result": ..., "error": null} or {"result": null, "error": {"message": ..., "code": ...}}.
#pragma once

#include <boost/asio/io_context.hpp>

#include <chrono>

#include <nlohmann/json.hpp>

#include "hooks/panel.hpp"
#include "hooks/panel_config.hpp"
#include "net/http_client.hpp"

namespace cobrador::hooks {

Outcome interpret_fossbilling_response(const PanelCall& call, const net::HttpResponse& response,
                                       std::chrono::system_clock::time_point now);

class FossbillingPanel : public Panel {
 public:
  FossbillingPanel(PanelConfig config, net::HttpClient& http, boost::asio::io_context& io, Now now);
  void execute(const PanelCall& call, std::function<void(Outcome)> done) override;
  // invoice/mark_as_paid with the bank entry as the transaction id. A return: invoice/get, then
  // invoice/update to unpaid with a line in its notes (once: the line names the return).
  bool takes_payments() const override { return true; }
  void record_payment(const PaymentRecord& payment, std::function<void(Outcome)> done) override;

 private:
  void record_return(const PaymentRecord& payment, std::function<void(Outcome)> done);
  // A POST of `params` to /api/admin/<method>, signed in as admin with the API key.
  net::HttpRequest request(const std::string& method, const nlohmann::json& params) const;
  PanelConfig config_;
  net::HttpClient& http_;
  boost::asio::io_context& io_;
  Now now_;
};

}  // namespace cobrador::hooks
