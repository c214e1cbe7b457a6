// PUT /v1/services/{id} with the service's recurring price (recurring_amount, recurring_currency)
// over real HTTP on a real database (either store): stored and answered back, idempotent, and
// every bad value a 400 naming its field with nothing written.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "api_fixture.hpp"

using namespace cobrador;
using namespace cobrador::testing;

namespace service_price_test {

TEST_CASE("PUT service stores the recurring price and refuses bad ones by field", "[http]") {
  ApiFixture api;
  REQUIRE(api.call("PUT", "/v1/customers/c1", R"({"name": "Ana"})", kBillingToken).status == 201);
  const std::string priced =
      R"({"customer_id": "c1", "kind": "hosting", "recurring_amount": "29.90", "recurring_currency": "BRL"})";
  const auto created = api.call("PUT", "/v1/services/s1", priced, kBillingToken);
  CHECK(created.status == 201);
  CHECK(created.json()["recurring_amount"] == "29.90");
  CHECK(created.json()["recurring_currency"] == "BRL");
  CHECK(format_money(*api.db().service("s1")->recurring_amount) == "29.90 BRL");
  CHECK(api.call("PUT", "/v1/services/s1", priced, kBillingToken).status == 200);

  struct Bad {
    const char* fields;
    const char* code;
    const char* field;
    const char* message;
  };
  const Bad bad[]{
      {R"("recurring_amount": "-1.00", "recurring_currency": "BRL")", "invalid_field", "recurring_amount",
       "recurring_amount: '-1.00' is not an amount in BRL: negative amounts are not allowed here"},
      {R"("recurring_amount": "twenty", "recurring_currency": "BRL")", "invalid_field", "recurring_amount",
       "recurring_amount: 'twenty' is not an amount in BRL: only digits and one '.' are allowed"},
      {R"("recurring_amount": "99999999999999999999", "recurring_currency": "BRL")", "invalid_field",
       "recurring_amount", "recurring_amount: '99999999999999999999' is not an amount in BRL: too large"},
      {R"("recurring_amount": "29.90", "recurring_currency": "brl")", "invalid_field", "recurring_currency",
       "recurring_currency: 'brl' is not an ISO 4217 currency code (three capital letters)"},
      {R"("recurring_amount": "29.90")", "missing_field", "recurring_currency",
       "recurring_currency: is required with recurring_amount"},
      {R"("recurring_amount": 29.9, "recurring_currency": "BRL")", "wrong_type", "recurring_amount",
       "recurring_amount: must be a string (amounts too: \"49.90\")"},
  };
  for (const auto& b : bad) {
    INFO(b.fields);
    const auto reply =
        api.call("PUT", "/v1/services/s2",
                 std::string(R"({"customer_id": "c1", "kind": "hosting", )") + b.fields + "}", kBillingToken);
    CHECK(reply.status == 400);
    CHECK(reply.error_code() == b.code);
    CHECK(reply.error_field() == b.field);
    CHECK(reply.json()["error"]["message"] == b.message);
  }
  CHECK_FALSE(api.db().service("s2"));

  // Without the fields the price is unknown again (a PUT says the whole service).
  const auto unpriced =
      api.call("PUT", "/v1/services/s1", R"({"customer_id": "c1", "kind": "hosting"})", kBillingToken);
  CHECK(unpriced.status == 200);
  CHECK(unpriced.json()["recurring_amount"].is_null());
  CHECK_FALSE(api.db().service("s1")->recurring_amount);
}

}  // namespace service_price_test
