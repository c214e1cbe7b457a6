// POST /v1/bank-statements (scopes billing, operator): the body is the statement file itself,
// byte for byte (camt XML, CNAB 240, CSV), imported by the same service function as
// `cobradorctl bank import`, in the request's savepoint: a file that does not parse, or a
// refusal, leaves nothing behind. Query: `source` (the bank source kept with each payment,
// default "upload"), `filename` (names the file in errors and the import's record) and
// `encoding` (latin1 for a file in ISO-8859-1 or Windows-1252, as `--encoding` on the CLI).
//
// Recording a bank statement confirms payments, so the caller must be allowed to confirm
// (docs/api.md): an operator, or a client with `confirms_payments: true`.
#include <fmt/format.h>

#include "http/json_error.hpp"
#include "http/request_body.hpp"
#include "http/routes.hpp"
#include "service/bank_import.hpp"
#include "service/bank_report.hpp"
#include "util/text_encoding.hpp"
#include "util/utf8.hpp"
#include "util/dump_json.hpp"

namespace cobrador::http {

namespace {

std::string query_or(const Request& request, std::string_view name, std::string fallback) {
  auto value = request.query_value(name);
  return value.empty() ? fallback : value;
}

Response import_statement(store::Store& store, const policy::Policy& policy, const std::string& content,
                          const service::BankImportRequest& request, Instant now) {
  auto report = service::import_bank_statement(store, policy, content, request, now);
  if (!report) return error_response(400, "invalid_statement", report.error().message, "body");
  auto body = service::report_json(*report);
  body["source"] = request.source;
  body["filename"] = request.label;
  return json_response(200, dump_json(body));
}

}  // namespace

void post_bank_statement(ApiContext& context, Request&& request, Params&&, Respond respond) {
  auto authorized = authorize_bearer(context.credentials, request, {"billing", "operator"});
  if (auto* refusal = std::get_if<Response>(&authorized)) return respond(std::move(*refusal));
  const auto& caller = std::get<Caller>(authorized);
  if (!caller.confirms_payments && !caller.has_scope("operator")) {
    return respond(
        error_response(403, "confirmation_not_allowed",
                       "a bank statement confirms payments: this caller may not (see confirms_payments)"));
  }
  if (request.body.empty()) {
    return respond(error_response(400, "invalid_statement",
                                  "the body is empty: send the statement file itself", "body"));
  }
  const Instant now = context.clock();
  service::BankImportRequest import{query_or(request, "filename", "statement"),
                                    query_or(request, "source", "upload"), caller.actor(),
                                    origin_of(caller, request)};
  import.sources = context.sources;
  // Both are kept with every payment and shown in messages: one line of UTF-8 each.
  for (const auto& [name, value] :
       {std::pair{"filename", &import.label}, std::pair{"source", &import.source}}) {
    if (const auto problem = utf8::line_problem(*value))
      return respond(error_response(400, "invalid_field", fmt::format("{}: {}", name, *problem), name));
  }
  if (const auto name = request.query_value("encoding"); !name.empty()) {
    import.encoding = encoding_named(name);
    if (!import.encoding) {
      return respond(error_response(
          400, "invalid_field",
          fmt::format("encoding: '{}' is not one of {}", utf8::repaired(name), kEncodingNames), "encoding"));
    }
  }
  context.store->submit(
      StoreWorker::Mode::batched,
      [&context, content = std::move(request.body), import = std::move(import), now](store::Store& store) {
        return import_statement(store, *context.policy.get(), content, import, now);
      },
      std::move(respond));
}

}  // namespace cobrador::http
