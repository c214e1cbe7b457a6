// Fuzzes what control panels answer, read as the adapters read it: WHM's JSON (cpanel, with a
// backup session's state), DirectAdmin's url-encoded or JSON answers and backup listings,
// Plesk's XML packets, and a `webhook` receiver's status, Retry-After and JSON body. The first
// byte picks the panel, the second the HTTP status; then a Retry-After line and the body.
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.hpp"
#include "hooks/cpanel_api.hpp"
#include "hooks/directadmin_api.hpp"
#include "hooks/exec_panel.hpp"
#include "hooks/http_outcome.hpp"
#include "hooks/plesk_panel.hpp"
#include "hooks/webhook_panel.hpp"

namespace {

using namespace cobrador;

constexpr std::array<long, 10> kStatuses{200, 202, 204, 301, 404, 408, 410, 429, 500, 503};
const std::chrono::system_clock::time_point kNow{std::chrono::seconds{1772971500}};

hooks::PanelCall call_of(std::uint8_t selector) {
  hooks::PanelCall call;
  call.idempotency_key = "c1:1:suspended:panel:s1";
  call.kind = static_cast<hooks::PanelCall::Kind>(selector % 4);
  call.account = "acct1";
  call.service_id = "s1";
  call.customer_id = "c1";
  return call;
}

void cpanel(const std::string& body) {
  auto reply = hooks::cpanel::parse_reply(body);
  if (reply && reply->data.is_object()) (void)hooks::cpanel::parse_session_state(reply->data);
}

void directadmin(const std::string& body) {
  (void)hooks::directadmin::parse_reply(body);
  (void)hooks::directadmin::parse_file_list(body);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::Input input(data, size);
  const auto panel = input.byte();
  net::HttpResponse response;
  response.status = kStatuses[input.byte() % kStatuses.size()];
  const std::string retry_after(input.line());
  if (!retry_after.empty()) response.headers["retry-after"] = retry_after;
  response.body = input.rest();

  (void)hooks::parse_retry_after(retry_after, kNow);
  (void)hooks::body_excerpt(response.body);
  switch (panel % 5) {
    case 0:
      cpanel(response.body);
      break;
    case 1:
      directadmin(response.body);
      break;
    case 2:
      (void)hooks::interpret_plesk_response(call_of(panel >> 3), response, kNow);
      break;
    case 3:
      (void)hooks::interpret_webhook_response(response, kNow);
      break;
    case 4:
      // The `exec` adapter's program output: its last line is a backup's location or the reason.
      (void)hooks::last_line(response.body);
      break;
  }
  return 0;
}
