// Fuzzes percent-decoding wherever cobrador does it: the API's query fields and path
// placeholders (http::percent_decode, Request::query_value, Router::match) and the panels'
// url-encoded answers (hooks::decode_form). Decoding what cobrador encodes must give back the
// original (hooks::percent_encode for WHM and DirectAdmin requests, encode_form for forms).
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.hpp"
#include "hooks/form_encoding.hpp"
#include "http/message.hpp"
#include "http/router.hpp"

namespace {

using namespace cobrador;

void decode_both_ways(std::string_view text) {
  for (const bool plus_is_space : {false, true}) {
    std::string out;
    (void)http::percent_decode(text, out, plus_is_space);
    std::string back;
    fuzz::require(http::percent_decode(hooks::percent_encode(text), back, plus_is_space) && back == text,
                  "percent_decode does not undo percent_encode");
  }
}

void query_and_path(std::string_view name, std::string_view target) {
  http::Request request;
  request.method = "GET";
  request.target = std::string(target);
  const auto question = request.target.find('?');
  request.path = request.target.substr(0, question);
  if (question != std::string::npos) request.query = request.target.substr(question + 1);
  bool found = false;
  (void)request.query_value(name, &found);

  http::Router router;
  router.add("GET", "/v1/customers/{id}", nullptr);
  router.add("POST", "/v1/customers/{id}/trust-release", nullptr);
  const auto match = router.match(request.method, request.path);
  if (match.route) {
    for (const auto& [key, value] : match.params) fuzz::require(!value.empty(), "an empty path placeholder");
  }
  (void)http::path_segments(request.path);
}

void form(std::string_view text) {
  const auto fields = hooks::decode_form(text);
  (void)hooks::form_value(fields, "error");
  fuzz::require(hooks::decode_form(hooks::encode_form(fields)) == fields,
                "decode_form does not undo encode_form");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::Input input(data, size);
  const auto name = input.line();
  const auto text = input.rest();
  decode_both_ways(text);
  query_and_path(name, text);
  form(text);
  return 0;
}
