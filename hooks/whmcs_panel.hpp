// The `whmcs` adapter: suspend, unsuspend and terminate go through WHMCS's own module calls
// (ModuleSuspend with the reason, ModuleUnsuspend, ModuleTerminate), so that WHMCS's service
// status and the server its module drives (cPanel, Plesk, DirectAdmin, Virtualizor...) agree.
// The service's account is the WHMCS service id (a source of type whmcs imports it so).
// WHMCS answers HTTP 200 with {"result": "error", "message": ...} when it refuses: that is a
// refusal, not a success. Backups are not a WHMCS call: refused. Money the bank confirmed for a
// WHMCS invoice is recorded with AddInvoicePayment (docs/connectors.md).
#pragma once

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <optional>

#include "hooks/form_encoding.hpp"
#include "hooks/panel.hpp"
#include "hooks/panel_config.hpp"
#include "net/http_client.hpp"

namespace cobrador::hooks {

// What WHMCS's answer means for `call` (separate for the unit tests).
Outcome interpret_whmcs_response(const PanelCall& call, const net::HttpResponse& response,
                                 std::chrono::system_clock::time_point now);

// What a GetTransactions answer says about `transaction`: done when WHMCS has that transaction
// id already, a failure when WHMCS refused, nothing when it is still to be added by `call`.
std::optional<Outcome> recorded_already(std::string_view transaction, std::string_view call,
                                        const net::HttpResponse& response,
                                        std::chrono::system_clock::time_point now);

class WhmcsPanel : public Panel {
 public:
  WhmcsPanel(PanelConfig config, net::HttpClient& http, boost::asio::io_context& io, Now now);
  void execute(const PanelCall& call, std::function<void(Outcome)> done) override;
  // AddInvoicePayment, once: GetTransactions by transaction id first. A return: AddTransaction
  // with the money out (once, the same way), then UpdateInvoice to Unpaid.
  bool takes_payments() const override { return true; }
  void record_payment(const PaymentRecord& payment, std::function<void(Outcome)> done) override;

 private:
  void record_return(const PaymentRecord& payment, std::function<void(Outcome)> done);
  // GetTransactions for `transaction`, then `add` (answered as `call`) only when WHMCS has it not.
  void once(const PaymentRecord& payment, const std::string& transaction, const char* call,
            net::HttpRequest add, std::function<void(Outcome)> done);
  // A POST to includes/api.php with the credential and `fields`.
  net::HttpRequest request(FormFields fields) const;

  PanelConfig config_;
  net::HttpClient& http_;
  boost::asio::io_context& io_;
  Now now_;
};

}  // namespace cobrador::hooks
