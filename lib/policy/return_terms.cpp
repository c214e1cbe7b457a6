// Implements policy/return_terms.hpp.
#include "policy/return_terms.hpp"

#include <limits>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace cobrador::policy {

namespace {

constexpr auto kMaxMinor = std::numeric_limits<std::int64_t>::max();

std::int64_t saturating_mul(std::int64_t a, std::int64_t b) {
  std::int64_t product = 0;
  return __builtin_mul_overflow(a, b, &product) ? kMaxMinor : product;
}

void add(Amounts& amounts, const Money& money) {
  if (money.minor <= 0) return;
  auto [it, fresh] = amounts.try_emplace(std::string(money.currency.code()), money);
  if (!fresh) it->second.minor = saturating_add(it->second.minor, money.minor);
}

// Confirmed payments of one invoice received before `since`, and on or after it.
struct InvoicePaid {
  std::int64_t before = 0;
  std::int64_t after = 0;
};

std::map<std::int64_t, InvoicePaid> paid_by_invoice(const ReturnFacts& facts) {
  std::map<std::int64_t, InvoicePaid> out;
  for (const auto& p : facts.payments) {
    auto& paid = out[p.invoice_id];
    auto& side = p.received_on < facts.since ? paid.before : paid.after;
    side = saturating_add(side, p.amount.minor);
  }
  return out;
}

// What `invoice` added to the debt on `since` (see the header).
std::int64_t owed_on_since(const Invoice& invoice, const InvoicePaid& paid, Date since) {
  if (invoice.issued_on >= since || invoice.status == InvoiceStatus::void_) return 0;
  const std::int64_t left = std::max<std::int64_t>(0, invoice.amount.minor - paid.before);
  if (invoice.status == InvoiceStatus::paid) return std::min(left, paid.after);
  return left;
}

}  // namespace

ReturnTerms return_terms(const ReturnFacts& facts) {
  ReturnTerms terms;
  const auto paid = paid_by_invoice(facts);
  if (facts.debt_counts) {
    for (const auto& invoice : facts.invoices) {
      const auto found = paid.find(invoice.id);
      const auto owed =
          owed_on_since(invoice, found == paid.end() ? InvoicePaid{} : found->second, facts.since);
      add(terms.owed_then, Money{owed, invoice.amount.currency});
    }
  }
  if (facts.periods > 0) {
    for (const auto& [service, price] : facts.services) {
      if (!price) {
        terms.unpriced.push_back(service);
        continue;
      }
      add(terms.upfront, Money{saturating_mul(price->minor, facts.periods), price->currency});
    }
  }
  terms.required = terms.owed_then;
  for (const auto& [code, money] : terms.upfront) add(terms.required, money);
  for (const auto& p : facts.payments) {
    if (p.received_on >= facts.since) add(terms.paid, p.amount);
  }
  for (const auto& [code, money] : terms.required) {
    const auto got = terms.paid.find(code);
    const std::int64_t have = got == terms.paid.end() ? 0 : got->second.minor;
    if (have < money.minor) terms.missing[code] = Money{money.minor - have, money.currency};
  }
  return terms;
}

std::string amounts_text(const Amounts& amounts) {
  if (amounts.empty()) return "0";
  std::vector<std::string> parts;
  for (const auto& [code, money] : amounts) parts.push_back(format_money(money));
  return fmt::format("{}", fmt::join(parts, " + "));
}

std::map<std::string, std::string, std::less<>> lock_notice_variables(const CustomerSnapshot& customer,
                                                                      const ReactivationAfterLock& rule) {
  Amounts owed;
  if (rule.pay_all_debts) {
    for (const auto& invoice : customer.open_invoices) add(owed, invoice.balance);
  }
  Amounts prices;
  bool unpriced = false;
  for (const auto& service : customer.services) {
    const bool ended_by_lock =
        service.state == ServiceState::active ||
        (service.state == ServiceState::suspended && service.suspend_reason == kNonPayment);
    if (!ended_by_lock) continue;
    if (!service.recurring_amount)
      unpriced = true;
    else
      add(prices, *service.recurring_amount);
  }
  Amounts total = owed;
  if (rule.months_upfront > 0) {
    for (const auto& [code, price] : prices)
      add(total, Money{saturating_mul(price.minor, rule.months_upfront), price.currency});
  }
  const bool known = !unpriced || rule.months_upfront == 0;
  return {{"months_upfront", std::to_string(rule.months_upfront)},
          {"recurring_amount", unpriced ? "" : amounts_text(prices)},
          {"reactivation_amount", known ? amounts_text(total) : ""}};
}

}  // namespace cobrador::policy
