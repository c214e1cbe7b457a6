// POST /v1/payments (scope billing, or signed by a bank source) and POST
// /v1/hooks/bank/{source} (signed by that source): payments written through
// service::put_payment and settled in the same transaction, so that a confirmed payment that
// clears the debt queues the unsuspend before the answer goes out (SPEC §10).
//
// The confirmation rule (docs/api.md): a payment may be recorded or left `confirmed` only by a
// caller allowed to confirm: a webhook source with `confirms_payments: true`, or an API client
// with `confirms_payments: true`. Anyone else gets 403 for status "confirmed", and may not
// rewrite a payment that is confirmed already.
#include <set>

#include <fmt/format.h>

#include "http/entity_json.hpp"
#include "http/json_error.hpp"
#include "http/pix.hpp"
#include "http/request_body.hpp"
#include "http/routes.hpp"
#include "service/bank_import.hpp"
#include "service/billing.hpp"
#include "util/dump_json.hpp"

namespace cobrador::http {

namespace {

using nlohmann::json;

Response not_allowed_to_confirm() {
  return error_response(403, "confirmation_not_allowed",
                        "status: this caller may not record confirmed payments (see confirms_payments)",
                        "status");
}

// The payment a body describes, checked, with the caller's name as its source.
std::variant<Payment, Response> payment_of(const json& object, const Caller& caller) {
  service::Fields fields;
  if (const auto problem =
          service::fields_from_json(object, service::columns_of(service::ImportKind::payments), fields)) {
    return field_problem(*problem);
  }
  service::FieldProblems problems;
  auto payment = service::payment_from(fields, problems);
  if (!problems.empty()) return field_problem(problems.front());
  // What a bank source signed came from that source, whatever the body says.
  if (caller.kind == Caller::Kind::bank_source || payment.source.empty()) payment.source = caller.name;
  if (payment.status == PaymentStatus::confirmed && !caller.confirms_payments)
    return not_allowed_to_confirm();
  return payment;
}

// Writes one payment inside the request's savepoint; the refusal, or nothing when written.
std::optional<Response> write_payment(store::BillingStore& store, const Payment& payment,
                                      const Caller& caller, Instant now, const service::Origin& origin,
                                      store::UpsertOutcome& written) {
  const auto existing = caller.confirms_payments ? std::nullopt : store.payment(payment.ext_id);
  if (existing && existing->status == PaymentStatus::confirmed) {
    return error_response(403, "confirmation_not_allowed",
                          "id: this payment is confirmed; only a caller allowed to confirm may change it",
                          "id");
  }
  auto outcome = service::put_payment(store, payment, now, origin);
  if (!outcome) return refused_by_store(outcome.error());
  written = *outcome;
  return std::nullopt;
}

// A signed delivery is applied once: the receipt is written in the same savepoint as what it
// applies, so a refused delivery leaves no receipt and may be retried.
bool first_delivery(store::WebhookLog& store, const Caller& caller, Instant now) {
  if (caller.webhook_id.empty()) return true;
  return store.remember_webhook(caller.actor(), caller.webhook_id, now);
}

Response record_payment(store::Store& store, const policy::Policy& policy, const Payment& payment,
                        const Caller& caller, Instant now, const service::Origin& origin) {
  if (!first_delivery(store, caller, now)) return duplicate_delivery(caller);
  store::UpsertOutcome written;
  if (auto refusal = write_payment(store, payment, caller, now, origin, written)) return std::move(*refusal);
  if (written.what != store::Upsert::unchanged)
    service::settle(store, policy, {written.customer_id}, now, origin.actor);
  // An upsert stores every field of `payment` as it is: no need to read it back.
  return json_response(written.what == store::Upsert::inserted ? 201 : 200, dump_json(payment_json(payment)));
}

const char* outcome_word(store::Upsert what) {
  return what == store::Upsert::inserted  ? "created"
         : what == store::Upsert::updated ? "updated"
                                          : "unchanged";
}

// Money that pays no invoice here is the operator's to place: an alert, and a line in the answer.
void unmatched(store::AuditTrail& store, const PixCredit& credit, Instant now, const std::string& why,
               json& out) {
  store.add_alert(now, "unmatched_payment", "payment:" + credit.end_to_end_id,
                  fmt::format("PIX {} of {} BRL (txid '{}'): {}", credit.end_to_end_id,
                              format_amount(credit.amount), credit.txid, why));
  out.push_back({{"endToEndId", credit.end_to_end_id}, {"txid", credit.txid}, {"reason", why}});
}

// A source that may not confirm reports what it saw: `pending` payments on the invoice named
// by txid, which lift nothing.
Response record_pending_pix(store::Store& store, const policy::Policy& policy,
                            const std::vector<PixCredit>& credits, const Caller& caller, Instant now,
                            const service::Origin& origin) {
  json payments = json::array();
  json missed = json::array();
  std::set<std::int64_t> touched;
  for (const auto& credit : credits) {
    const auto invoice = credit.txid.empty() ? std::nullopt : store.invoice(credit.txid);
    if (!invoice) {
      unmatched(store, credit, now, credit.txid.empty() ? "no txid" : "no invoice with this id", missed);
      continue;
    }
    if (invoice->invoice.amount.currency != credit.amount.currency) {
      unmatched(store, credit, now, "the invoice is not in BRL", missed);
      continue;
    }
    Payment p{0,
              credit.end_to_end_id,
              0,
              credit.txid,
              credit.amount,
              "pix",
              caller.name,
              credit.end_to_end_id,
              "",
              PaymentStatus::pending,
              policy.local_date(credit.at),
              ""};
    store::UpsertOutcome written;
    if (auto refusal = write_payment(store, p, caller, now, origin, written)) return std::move(*refusal);
    if (written.what != store::Upsert::unchanged) touched.insert(written.customer_id);
    payments.push_back({{"id", p.ext_id},
                        {"invoice_id", p.invoice_ext_id},
                        {"status", to_string(p.status)},
                        {"outcome", outcome_word(written.what)}});
  }
  service::settle(store, policy, touched, now, origin.actor);
  return json_response(200, dump_json(json{{"payments", payments}, {"unmatched", missed}}));
}

// A source that confirms payments is the bank: its credits are bank entries, matched and
// recorded by the same function as statement files (a claim confirmed, unmatched money listed
// for the operator, an endToEndId recorded once however often it is delivered).
Response record_confirmed_pix(store::Store& store, const policy::Policy& policy,
                              const std::vector<PixCredit>& credits, const Caller& caller, Instant now,
                              const service::Origin& origin, const std::vector<std::string>& sources) {
  auto entries = bank_entries_of(credits, [&policy](Instant at) { return policy.local_date(at); });
  service::BankImportRequest request{"PIX callback", caller.name, origin.actor, origin.source};
  request.sources = sources;
  auto report = service::import_bank_entries(store, policy, std::move(entries), "PIX", request, now);
  if (!report) return refused_by_store(report.error());
  json payments = json::array();
  json missed = json::array();
  json seen = json::array();
  for (std::size_t i = 0; i < report->lines.size(); ++i) {
    const auto& line = report->lines[i];
    const auto& credit = credits[i];  // one line per credit, in order
    if (line.outcome == "matched" || line.outcome == "confirmed_claim") {
      payments.push_back({{"id", line.payment_id},
                          {"invoice_id", line.invoice_id},
                          {"status", "confirmed"},
                          {"outcome", line.outcome == "matched" ? "created" : "updated"}});
    } else if (line.outcome == "already_imported") {
      seen.push_back(credit.end_to_end_id);
    } else {
      missed.push_back(
          {{"endToEndId", credit.end_to_end_id}, {"txid", credit.txid}, {"reason", line.explanation}});
    }
  }
  return json_response(
      200, dump_json(json{{"payments", payments}, {"unmatched", missed}, {"already_recorded", seen}}));
}

Response record_pix(store::Store& store, const policy::Policy& policy, const std::vector<PixCredit>& credits,
                    const Caller& caller, Instant now, const service::Origin& origin,
                    const std::vector<std::string>& sources) {
  if (!first_delivery(store, caller, now)) return duplicate_delivery(caller);
  return caller.confirms_payments ? record_confirmed_pix(store, policy, credits, caller, now, origin, sources)
                                  : record_pending_pix(store, policy, credits, caller, now, origin);
}

void submit_payment(ApiContext& context, const Caller& caller, const Request& request, const json& object,
                    Instant now, Respond respond) {
  auto payment = payment_of(object, caller);
  if (auto* refusal = std::get_if<Response>(&payment)) return respond(std::move(*refusal));
  const service::Origin origin{caller.actor(), origin_of(caller, request)};
  context.store->submit(
      StoreWorker::Mode::batched,
      [&context, payment = std::get<Payment>(std::move(payment)), caller, now, origin](store::Store& store) {
        return record_payment(store, *context.policy.get(), payment, caller, now, origin);
      },
      std::move(respond));
}

}  // namespace

void post_payment(ApiContext& context, Request&& request, Params&&, Respond respond) {
  const Instant now = context.clock();
  auto authorized = authorize_payment(context.credentials, request, now);
  if (auto* refusal = std::get_if<Response>(&authorized)) return respond(std::move(*refusal));
  json object;
  if (auto refusal = parse_json_object(request, object)) return respond(std::move(*refusal));
  submit_payment(context, std::get<Caller>(authorized), request, object, now, std::move(respond));
}

void post_bank_hook(ApiContext& context, Request&& request, Params&& params, Respond respond) {
  const auto& name = params.at("source");
  const auto* keys = context.credentials.bank_source(name);
  if (!keys)
    return respond(error_response(404, "unknown_source", fmt::format("no webhook source '{}'", name)));
  const Instant now = context.clock();
  auto authorized =
      verify_signature(*keys, Caller{Caller::Kind::bank_source, name, {}, false, {}}, request, now);
  if (auto* refusal = std::get_if<Response>(&authorized)) return respond(std::move(*refusal));
  const auto& caller = std::get<Caller>(authorized);
  json object;
  if (auto refusal = parse_json_object(request, object)) return respond(std::move(*refusal));
  if (!is_pix_callback(object))
    return submit_payment(context, caller, request, object, now, std::move(respond));
  auto credits = read_pix_callback(object);
  if (auto* problem = std::get_if<service::FieldProblem>(&credits)) return respond(field_problem(*problem));
  const service::Origin origin{caller.actor(), origin_of(caller, request)};
  context.store->submit(
      StoreWorker::Mode::batched,
      [&context, credits = std::get<std::vector<PixCredit>>(std::move(credits)), caller, now,
       origin](store::Store& store) {
        return record_pix(store, *context.policy.get(), credits, caller, now, origin, context.sources);
      },
      std::move(respond));
}

}  // namespace cobrador::http
