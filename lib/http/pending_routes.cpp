// The routes of SPEC §6 whose behaviour belongs to later issues (trust release, payment
// claims, bank statements). They check the caller like the real ones
// will, then answer 501, and docs/api.md lists them as such.
#include <fmt/format.h>

#include "http/json_error.hpp"
#include "http/routes.hpp"

namespace cobrador::http {

namespace {

void add_pending(Router& router, ApiContext& context, const char* method, const char* pattern,
                 std::vector<std::string_view> scopes) {
  router.add(method, pattern,
             [&context, scopes, method, pattern](Request&& request, Params&&, Respond respond) {
               auto authorized = authorize_bearer(context.credentials, request, scopes);
               if (auto* refusal = std::get_if<Response>(&authorized)) return respond(std::move(*refusal));
               respond(error_response(501, "not_implemented",
                                      fmt::format("{} {} is not implemented yet", method, pattern)));
             });
}

}  // namespace

void add_pending_routes(Router& router, ApiContext& context) {
  add_pending(router, context, "POST", "/v1/bank-statements", {"billing", "operator"});
  add_pending(router, context, "POST", "/v1/customers/{id}/trust-release", {"client_area", "operator"});
  add_pending(router, context, "POST", "/v1/customers/{id}/payment-claims", {"client_area"});
}

}  // namespace cobrador::http
