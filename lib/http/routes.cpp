// The table of the API's routes (http/routes.hpp).
#include "http/routes.hpp"

#include <utility>

namespace cobrador::http {

namespace {

struct ApiRoute {
  const char* method;
  const char* pattern;
  ContextHandler handler;
};

}  // namespace

void add_api_routes(Router& router, ApiContext& context) {
  const ApiRoute routes[]{
      {"PUT", "/v1/customers/{id}", put_customer_route},
      {"PUT", "/v1/services/{id}", put_service_route},
      {"PUT", "/v1/invoices/{id}", put_invoice_route},
      {"POST", "/v1/payments", post_payment},
      {"POST", "/v1/hooks/bank/{source}", post_bank_hook},
      {"POST", "/v1/bank-statements", post_bank_statement},
      {"POST", "/v1/hooks/panel/{panel}", post_panel_hook},
      {"GET", "/v1/customers/{id}", get_customer},
      {"GET", "/v1/forecast", get_forecast},
      {"GET", "/healthz", get_healthz},
      {"GET", "/metrics", get_metrics},
      {"POST", "/v1/customers/{id}/trust-release", post_trust_release},
      {"POST", "/v1/customers/{id}/payment-claims", post_payment_claim},
      {"POST", "/v1/services/{id}/cancellation", post_cancellation},
      {"DELETE", "/v1/services/{id}/cancellation", delete_cancellation},
      {"POST", "/v1/services/{id}/backups", post_backup},
      {"POST", "/v1/services/{id}/suspension", post_suspension},
      {"DELETE", "/v1/services/{id}/suspension", delete_suspension},
      {"GET", "/v1/tasks", get_tasks},
      {"POST", "/v1/tasks/{id}/outcome", post_task_outcome},
      {"POST", "/v1/customers/{id}/contacts", post_contact},
  };
  for (const auto& route : routes) {
    router.add(route.method, route.pattern,
               [&context, handler = route.handler](Request&& request, Params&& params, Respond respond) {
                 handler(context, std::move(request), std::move(params), std::move(respond));
               });
  }
}

}  // namespace cobrador::http
