// The routes whose behaviour belongs to later issues check the caller, then answer 501.
#include <catch2/catch.hpp>

#include "api_fixture.hpp"

using namespace cobrador;
using namespace cobrador::testing;

namespace {

struct Pending {
  const char* method;
  const char* path;
  std::string allowed;  // a token with the route's scope
  std::string refused;  // a valid token without it
};

}  // namespace

// Each pending route: 501 for the right caller, 401 without a token, 403 with the wrong scope.
TEST_CASE("pending routes answer 501 to the right caller only", "[http]") {
  ApiFixture api;
  const std::vector<Pending> routes{
      {"POST", "/v1/bank-statements", kBillingToken, kAreaToken},
      {"POST", "/v1/customers/c1/trust-release", kAreaToken, kBillingToken},
      {"POST", "/v1/customers/c1/payment-claims", kAreaToken, kOperatorToken},
  };
  for (const auto& route : routes) {
    INFO(route.method << " " << route.path);
    const auto done = api.call(route.method, route.path, "{}", route.allowed);
    CHECK(done.status == 501);
    CHECK(done.error_code() == "not_implemented");
    CHECK(api.call(route.method, route.path, "{}").status == 401);
    const auto scope = api.call(route.method, route.path, "{}", route.refused);
    CHECK(scope.status == 403);
    CHECK(scope.error_code() == "insufficient_scope");
  }
  std::string big(1024 * 1024 + 1, ' ');
  CHECK(api.call("POST", "/v1/bank-statements", big, kBillingToken).status == 413);
}
