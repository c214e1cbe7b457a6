// Fuzzes what a customer's browser sends to the customer's page (docs/customer-page.md): the
// link's token (policy::check_link) and the receipt's multipart body (http/multipart.hpp).
// Nothing may throw or crash; a token cobrador signs must check back to what it names.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.hpp"
#include "http/multipart.hpp"
#include "policy/link_token.hpp"

namespace {

using namespace cobrador;

const Instant kNow = from_unix(1'772'668'800);

void token(std::string_view text) {
  (void)policy::check_link(text, "fuzz key", kNow);
  (void)policy::form_token(text, "fuzz key");
}

void multipart(std::string_view content_type, std::string_view body) {
  const auto boundary = http::multipart_boundary(content_type);
  if (!boundary) return;
  const auto parts = http::parse_multipart(body, *boundary);
  if (!parts) return;
  fuzz::require(parts->size() <= 16, "more parts than the limit");
  for (const auto& part : *parts) fuzz::require(!part.name.empty(), "a part without a name");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::Input input(data, size);
  const auto first = input.line();
  const auto rest = input.rest();
  token(first);
  multipart(first, rest);
  const policy::LinkClaims claims{static_cast<std::int64_t>(size), 7, kNow + std::chrono::seconds{1}};
  const auto signed_token = policy::sign_link(claims, first);
  if (!first.empty()) {
    const auto checked = policy::check_link(signed_token, first, kNow);
    fuzz::require(std::holds_alternative<policy::LinkClaims>(checked) &&
                      std::get<policy::LinkClaims>(checked) == claims,
                  "a signed link does not check back");
  }
  return 0;
}
