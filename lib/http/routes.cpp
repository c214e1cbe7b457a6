// Implements add_route() of http/routes.hpp.
#include "http/routes.hpp"

#include <utility>

namespace cobrador::http {

void add_route(Router& router, ApiContext& context, std::string method, std::string pattern,
               ContextHandler handler) {
  router.add(std::move(method), std::move(pattern),
             [&context, handler](Request&& request, Params&& params, Respond respond) {
               handler(context, std::move(request), std::move(params), std::move(respond));
             });
}

}  // namespace cobrador::http
