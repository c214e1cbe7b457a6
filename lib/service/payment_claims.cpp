// Implements claims and their review: the claim is a `claimed` payment with an expiry day;
// confirming one settles the customer like any confirmed payment does.
#include "service/payment_claims.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "policy/claim_expiry.hpp"
#include "service/billing.hpp"
#include "util/dump_json.hpp"

namespace cobrador::service {

namespace {

using nlohmann::json;

// The invoice the claim pays: the one named, or the customer's oldest open one with a balance.
std::variant<store::InvoiceBalance, ClaimRefusal> claimed_invoice(store::Book& store,
                                                                  const Customer& customer,
                                                                  const std::string& named) {
  if (!named.empty()) {
    auto invoice = store.invoice(named);
    if (!invoice || invoice->invoice.customer_id != customer.id) {
      return ClaimRefusal{
          "invalid_field",
          fmt::format("invoice_id: customer '{}' has no invoice '{}'", customer.ext_id, named), "invoice_id"};
    }
    return *invoice;
  }
  std::optional<store::InvoiceBalance> oldest;
  for (auto& inv : store.invoices_of(customer.id)) {
    if (inv.invoice.status != InvoiceStatus::open || inv.balance.minor <= 0) continue;
    if (!oldest || inv.invoice.due_on < oldest->invoice.due_on) oldest = inv;
  }
  if (!oldest) {
    return ClaimRefusal{"no_open_invoice",
                        fmt::format("customer '{}' has no open invoice to pay", customer.ext_id),
                        "invoice_id"};
  }
  return *oldest;
}

std::variant<Money, ClaimRefusal> claimed_amount(const PaymentClaim& claim,
                                                 const store::InvoiceBalance& invoice) {
  const auto currency = invoice.invoice.amount.currency;
  if (claim.currency && *claim.currency != currency.code()) {
    return ClaimRefusal{"invalid_field",
                        fmt::format("currency: invoice '{}' is in {}, not {}", invoice.invoice.ext_id,
                                    currency.code(), *claim.currency),
                        "currency"};
  }
  auto amount = parse_money(claim.amount, currency);
  if (!amount) {
    return ClaimRefusal{"invalid_field",
                        fmt::format("amount: '{}' is not an amount in {}: {}", claim.amount, currency.code(),
                                    amount.error().message),
                        "amount"};
  }
  if (amount->minor <= 0) return ClaimRefusal{"invalid_field", "amount: must be more than zero", "amount"};
  return *amount;
}

Payment payment_of(const PaymentClaim& claim, const Customer& customer, const store::InvoiceBalance& invoice,
                   Money amount) {
  Payment p;
  // One claim per customer and reference: a client area that retries does not claim twice.
  p.ext_id = fmt::format("claim:{}:{}", customer.ext_id, claim.reference);
  p.invoice_ext_id = invoice.invoice.ext_id;
  p.amount = amount;
  p.method = claim.method;
  p.source = "customer";
  p.reference = claim.reference;
  p.evidence = claim.proof_url;
  p.status = PaymentStatus::claimed;
  p.received_on = claim.paid_on;
  return p;
}

}  // namespace

ClaimOutcome record_claim(store::Store& store, const policy::Policy& policy, const PaymentClaim& claim,
                          Instant now) {
  const auto customer = store.customer(claim.customer);
  if (!customer) return ClaimRefusal{"unknown_customer", fmt::format("no customer '{}'", claim.customer), ""};
  auto invoice = claimed_invoice(store, *customer, claim.invoice);
  if (auto* refused = std::get_if<ClaimRefusal>(&invoice)) return *refused;
  const auto& inv = std::get<store::InvoiceBalance>(invoice);
  auto amount = claimed_amount(claim, inv);
  if (auto* refused = std::get_if<ClaimRefusal>(&amount)) return *refused;

  ClaimRecorded recorded;
  recorded.payment = payment_of(claim, *customer, inv, std::get<Money>(amount));
  if (store.payment(recorded.payment.ext_id)) {
    return ClaimRefusal{
        "duplicate_claim",
        fmt::format("reference: a claim with reference '{}' was already made", claim.reference), "reference"};
  }
  auto written = put_payment(store, recorded.payment, now, {claim.actor, claim.source});
  if (!written) return ClaimRefusal{"invalid_field", written.error().message, ""};
  recorded.payment.id = written->id;
  recorded.expires_on = policy::claim_expiry(policy, now);
  store.set_claim_expiry(written->id, recorded.expires_on);
  store.audit(
      {0, now, claim.actor, "customer:" + customer->ext_id, "payment_claimed",
       dump_json(json{{"payment", recorded.payment.ext_id},
                      {"invoice", inv.invoice.ext_id},
                      {"amount", format_money(recorded.payment.amount)},
                      {"proof", claim.proof_url},
                      {"expires_on", format_date(recorded.expires_on)},
                      {"rule", "a claim is not money: the balance counts confirmed payments only"}})});
  // A receipt is for a person to look at (docs/tasks.md: review_claim).
  if (!claim.proof_url.empty()) {
    policy::TaskRequest task;
    task.kind = "review_claim";
    task.subject = "payment:" + recorded.payment.ext_id;
    task.customer = customer->ext_id;
    task.due_on = policy.local_date(now);
    task.title = fmt::format(
        "{} reports paying {} of invoice {} ({}): look at the receipt, then confirm or reject",
        customer->ext_id, format_money(recorded.payment.amount), inv.invoice.ext_id, claim.reference);
    task.details = dump_json(
        json{{"payment", recorded.payment.ext_id}, {"proof", claim.proof_url}, {"source", claim.source}});
    store.open_task(task, now, claim.actor);
  }
  const auto& rules = policy.payments.claims;
  if (rules.release_days > 0) {
    TrustReleaseRequest request{customer->ext_id,
                                rules.release_days,
                                fmt::format("payment claim {}", recorded.payment.ext_id),
                                false,
                                recorded.payment.ext_id,
                                claim.actor};
    auto release = grant_trust_release(store, policy, request, now);
    if (release) recorded.release = std::move(*release);
  }
  return recorded;
}

Result<Payment> review_payment(store::Store& store, const policy::Policy& policy, const std::string& id,
                               Review review, const std::string& reason, Instant now,
                               const std::string& actor) {
  auto payment = store.payment(id);
  if (!payment) return make_error(fmt::format("no payment '{}'", id));
  if (reason.empty()) return make_error("--reason: say why");
  if (payment->status != PaymentStatus::claimed && payment->status != PaymentStatus::pending) {
    return make_error(
        fmt::format("payment '{}' is {}: only a claimed or pending payment is confirmed or rejected", id,
                    to_string(payment->status)));
  }
  const auto invoice = store.invoice(payment->invoice_ext_id);
  const auto was = payment->status;
  payment->status = review == Review::confirm ? PaymentStatus::confirmed : PaymentStatus::rejected;
  store.set_payment_status(payment->id, payment->status, reason);
  store.audit({0, now, actor, "customer:" + invoice->invoice.customer_ext_id,
               review == Review::confirm ? "payment_confirmed" : "payment_rejected",
               dump_json(json{{"payment", id},
                              {"invoice", payment->invoice_ext_id},
                              {"amount", format_money(payment->amount)},
                              {"was", to_string(was)},
                              {"reason", reason}})});
  // A confirmed payment is money: it ends a run of returned debits, and settles now, in this
  // transaction (SPEC §4, §10).
  if (payment->status == PaymentStatus::confirmed)
    store.recount_returned_debits(invoice->invoice.customer_id);
  settle(store, policy, {invoice->invoice.customer_id}, now, actor);
  return *payment;
}

}  // namespace cobrador::service
