// `cobradorctl trust-release CUSTOMER [--days N] --reason TEXT [--force]`,
// `payment confirm|reject PAYMENT --reason TEXT`, and the `list promises|claims` listings.
#include <fmt/format.h>

#include "ctl/context.hpp"
#include "service/payment_claims.hpp"
#include "service/trust_release.hpp"
#include "util/clock.hpp"

namespace cobrador::ctl {

namespace {

using nlohmann::json;

json promise_json(const Promise& p) {
  return {{"id", p.id},
          {"customer", p.customer_ext_id},
          {"granted_at", format_instant(p.granted_at)},
          {"deadline", format_date(p.deadline)},
          {"granted_by", p.granted_by},
          {"reason", p.reason},
          {"outcome", to_string(p.outcome)},
          {"forced", p.forced},
          {"override_reason", p.override_reason},
          {"claim", p.claim_payment.empty() ? json(nullptr) : json(p.claim_payment)},
          {"released_services", p.released_services}};
}

void trust_release(Context& ctx, const std::string& customer, std::optional<int> days,
                   const std::string& reason, bool force) {
  const Instant now = clock::now();
  auto& store = ctx.store();
  const service::TrustReleaseRequest request{customer, days, reason, force, "", ctx.actor()};
  // A refusal is audited too, so the transaction commits either way.
  const auto outcome = store::in_transaction(
      store, [&] { return service::grant_trust_release(store, ctx.policy(), request, now); });
  if (!outcome) throw CommandError(outcome.error().message);
  if (const auto* refused = std::get_if<service::TrustReleaseRefused>(&*outcome)) {
    throw CommandError(fmt::format("trust release refused by {}: {}", refused->rule, refused->message));
  }
  const auto& granted = std::get<service::TrustReleaseGranted>(*outcome);
  json out = promise_json(granted.promise);
  out["unsuspended"] = granted.unsuspended;
  out["postponed"] = granted.postponed;
  std::string text =
      fmt::format("trust release #{} for {} until {}{}\n", granted.promise.id, customer,
                  format_date(granted.promise.deadline),
                  granted.promise.forced ? fmt::format(" (forced over {})", granted.overridden_rule) : "");
  for (const auto& s : granted.unsuspended) text += fmt::format("  unsuspend queued: {}\n", s);
  for (const auto& s : granted.postponed) text += fmt::format("  suspension postponed: {}\n", s);
  ctx.print(out, text);
}

void review(Context& ctx, const std::string& verb, const std::string& id, const std::string& reason) {
  const Instant now = clock::now();
  auto& store = ctx.store();
  const auto which = verb == "confirm" ? service::Review::confirm : service::Review::reject;
  const auto reviewed = store::in_transaction(store, [&] {
    auto result = service::review_payment(store, ctx.policy(), id, which, reason, now, ctx.actor());
    if (!result) throw CommandError(result.error().message);
    return *result;
  });
  ctx.print({{"id", reviewed.ext_id},
             {"invoice", reviewed.invoice_ext_id},
             {"status", to_string(reviewed.status)},
             {"reason", reason}},
            fmt::format("payment {} {}", reviewed.ext_id, to_string(reviewed.status)));
}

}  // namespace

void list_promises(Context& ctx) {
  json rows = json::array();
  std::string text;
  for (const auto& p : ctx.store().list_promises(std::nullopt)) {
    rows.push_back(promise_json(p));
    text += fmt::format("#{:<5} {:<14} granted {} deadline {} {:<7} by {}{}: {}\n", p.id, p.customer_ext_id,
                        format_date(p.granted_on), format_date(p.deadline), to_string(p.outcome),
                        p.granted_by, p.forced ? " (forced)" : "", p.reason);
  }
  ctx.print(rows, text.empty() ? "none\n" : text);
}

void list_claims(Context& ctx) {
  json rows = json::array();
  std::string text;
  for (const auto& c : ctx.store().claims(std::nullopt)) {
    const auto& p = c.payment;
    rows.push_back({{"id", p.ext_id},
                    {"customer", c.customer_ext_id},
                    {"invoice", p.invoice_ext_id},
                    {"amount", format_amount(p.amount)},
                    {"currency", p.amount.currency.code()},
                    {"method", p.method},
                    {"reference", p.reference},
                    {"proof_url", p.evidence},
                    {"paid_on", format_date(p.received_on)},
                    {"status", to_string(p.status)},
                    {"status_reason", c.status_reason},
                    {"expires_on", c.expires_on ? json(format_date(*c.expires_on)) : json(nullptr)}});
    text += fmt::format("{:<28} {:<14} {:<10} {:>12} {:<9}{} expires {}\n", p.ext_id, c.customer_ext_id,
                        p.invoice_ext_id, format_money(p.amount), to_string(p.status),
                        c.status_reason.empty() ? "" : " (" + c.status_reason + ")",
                        c.expires_on ? format_date(*c.expires_on) : "-");
  }
  ctx.print(rows, text.empty() ? "none\n" : text);
}

void add_trust_commands(CLI::App& app, Context& ctx) {
  static std::string customer;
  static std::optional<int> days;
  static std::string reason;
  static bool force = false;
  auto* release = app.add_subcommand("trust-release", "reactivate now, to pay by a deadline (SPEC §5)");
  release->add_option("customer", customer, "the customer's external id")->required();
  release->add_option("--days", days, "length in days (default: the policy's)");
  release->add_option("--reason", reason, "why; with --force, why the rules are overridden")->required();
  release->add_flag("--force", force, "grant although a rule of the policy refuses (audited as forced)");
  release->callback([&ctx] { trust_release(ctx, customer, days, reason, force); });

  static std::string verb;
  static std::string payment;
  static std::string review_reason;
  auto* pay = app.add_subcommand("payment", "confirm or reject a claimed or pending payment");
  pay->add_option("action", verb, "confirm or reject")
      ->required()
      ->check(CLI::IsMember({"confirm", "reject"}));
  pay->add_option("payment", payment, "the payment's external id")->required();
  pay->add_option("--reason", review_reason, "why (the audit trail keeps it)")->required();
  pay->callback([&ctx] { review(ctx, verb, payment, review_reason); });
}

}  // namespace cobrador::ctl
