#include <catch2/catch.hpp>

#include "hooks/event_payload.hpp"
#include "hooks/form_encoding.hpp"

using namespace cobrador;
using hooks::PanelCall;

namespace {

PanelCall suspension() {
  PanelCall call;
  call.idempotency_key = "c1:e2:suspend:suspend:s3";
  call.kind = PanelCall::Kind::suspend;
  call.reason = "non_payment";
  call.mode = "full";
  call.service_id = "s3";
  call.account = "ana";
  call.service_kind = "hosting";
  call.customer_id = "c1";
  return call;
}

}  // namespace

// The webhook body has SPEC §7's keys in SPEC §7's order.
TEST_CASE("event json has the SPEC 7 shape and key order", "[hooks]") {
  CHECK(hooks::event_json(suspension()) ==
        R"({"type":"service.suspend","id":"c1:e2:suspend:suspend:s3","reason":"non_payment","mode":"full",)"
        R"("service":{"id":"s3","account":"ana","kind":"hosting"},"customer":{"id":"c1"}})");
}

// Kinds map to their event types, and an unsuspension's empty reason and mode are null.
TEST_CASE("event json types each kind and nulls empty fields", "[hooks]") {
  auto call = suspension();
  call.kind = PanelCall::Kind::unsuspend;
  call.reason.clear();
  call.mode.clear();
  CHECK(hooks::event_json(call).find(R"("type":"service.unsuspend","id":"c1:e2:suspend:suspend:s3",)"
                                     R"("reason":null,"mode":null,)") != std::string::npos);
  CHECK(hooks::event_type(PanelCall::Kind::terminate) == "service.terminate");
  CHECK(hooks::event_type(PanelCall::Kind::backup) == "service.backup");
}

// Quotes and control characters in a field are escaped, so the body stays valid JSON.
TEST_CASE("event json escapes awkward field values", "[hooks]") {
  auto call = suspension();
  call.reason = "said \"no\"\n";
  CHECK(hooks::event_json(call).find(R"("reason":"said \"no\"\n")") != std::string::npos);
}

// A field that is not valid UTF-8 does not stop the call: the bad byte becomes U+FFFD.
TEST_CASE("event json replaces invalid UTF-8 instead of failing", "[hooks]") {
  auto call = suspension();
  call.account = "an\xff";
  CHECK(hooks::event_json(call).find("\"account\":\"an\xEF\xBF\xBD\"") != std::string::npos);
}

// Form encoding escapes all but unreserved characters and decodes '+' and %XX back.
TEST_CASE("form encoding round-trips names and values", "[hooks]") {
  CHECK(hooks::encode_form({{"user", "ana"}, {"reason", "non payment [x]&y=ç"}}) ==
        "user=ana&reason=non%20payment%20%5Bx%5D%26y%3D%C3%A7");
  const auto fields = hooks::decode_form("error=1&text=Cannot+suspend&details=user%20ana%3A+nope&flag");
  REQUIRE(fields.size() == 4);
  CHECK(hooks::form_value(fields, "text") == "Cannot suspend");
  CHECK(hooks::form_value(fields, "details") == "user ana: nope");
  CHECK(hooks::form_value(fields, "flag") == "");
  CHECK(hooks::form_value(fields, "absent") == "");
  CHECK(hooks::decode_form("a=%zz%4")[0].second == "%zz%4");
}
