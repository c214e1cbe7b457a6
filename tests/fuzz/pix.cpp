// Fuzzes the BACEN PIX callback body (POST /v1/hooks/bank/{source}) as the route reads it once
// the signature is checked: the JSON object, the credits, and the bank entries they become in
// the policy's time zone; a refusal becomes its 400 answer. Credits are money received: their
// entries are booked credits, never negative.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <variant>

#include <nlohmann/json.hpp>

#include "bank_checks.hpp"
#include "fuzz_support.hpp"
#include "http/pix.hpp"
#include "http/request_body.hpp"
#include "policy/policy.hpp"

namespace {

using namespace cobrador;

const policy::Policy& shipped_policy() {
  static const auto policy = [] {
    auto loaded = policy::load_policy(COBRADOR_SOURCE_DIR "/etc/policy.yaml");
    fuzz::require(loaded.ok(), "etc/policy.yaml does not load");
    return std::make_unique<policy::Policy>(std::move(*loaded));
  }();
  return *policy;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto& policy = shipped_policy();
  http::Request request;
  request.method = "POST";
  request.target = request.path = "/v1/hooks/bank/bank-pix";
  request.body.assign(reinterpret_cast<const char*>(data), size);
  nlohmann::json body;
  if (auto refused = http::parse_json_object(request, body)) return 0;
  if (!http::is_pix_callback(body)) return 0;
  auto credits = http::read_pix_callback(body);
  if (const auto* problem = std::get_if<service::FieldProblem>(&credits)) {
    (void)http::field_problem(*problem);
    return 0;
  }
  const auto entries = http::bank_entries_of(std::get<std::vector<http::PixCredit>>(credits),
                                             [&policy](Instant at) { return policy.local_date(at); });
  fuzz::check_entries(entries);
  for (const auto& entry : entries) {
    fuzz::require(entry.booked && entry.direction == bank::Direction::credit,
                  "a PIX credit that is not a booked credit");
  }
  return 0;
}
