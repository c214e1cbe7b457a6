// Implements the account name check and the adapter wrapper that applies it.
#include "hooks/account_name.hpp"

#include <boost/asio/io_context.hpp>

#include <fmt/format.h>

#include "hooks/adapter_support.hpp"

namespace cobrador::hooks {

namespace {

bool allowed(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
         c == '@' || c == '+' || c == '-';
}

class AccountChecked : public Panel {
 public:
  AccountChecked(std::unique_ptr<Panel> adapter, boost::asio::io_context& io)
      : adapter_(std::move(adapter)), io_(io) {}

  void execute(const PanelCall& call, std::function<void(Outcome)> done) override {
    if (auto problem = account_name_problem(call.account)) {
      return post_outcome(io_, std::move(done), make_outcome(Outcome::Kind::failed, std::move(*problem)));
    }
    adapter_->execute(call, std::move(done));
  }

  // A payment names an invoice, not an account: passed on as it is.
  bool takes_payments() const override { return adapter_->takes_payments(); }
  void record_payment(const PaymentRecord& payment, std::function<void(Outcome)> done) override {
    adapter_->record_payment(payment, std::move(done));
  }

 private:
  std::unique_ptr<Panel> adapter_;
  boost::asio::io_context& io_;
};

}  // namespace

std::unique_ptr<Panel> with_account_check(std::unique_ptr<Panel> adapter, boost::asio::io_context& io) {
  return std::make_unique<AccountChecked>(std::move(adapter), io);
}
std::optional<std::string> account_name_problem(std::string_view account) {
  if (account.size() > max_account_length) {
    return fmt::format("the account name is {} characters long; at most {} are allowed", account.size(),
                       max_account_length);
  }
  if (!account.empty() && account.front() == '-') {
    return std::string("the account name starts with '-', which a program would take for an option");
  }
  for (std::size_t i = 0; i < account.size(); ++i) {
    if (!allowed(account[i])) {
      return fmt::format(
          "the account name has the character 0x{:02x} at position {}; allowed are letters, digits and . _ @ "
          "+ -",
          static_cast<unsigned char>(account[i]), i + 1);
    }
  }
  return std::nullopt;
}

}  // namespace cobrador::hooks
