// Fuzzes notice templates, parsed as --check-config and the daemon load them and rendered as
// a notice is: Template::parse with the variables of one catalog entry (named by the first
// line), then render with a
// value for each (taken from the input too). A template that parses must render once every
// variable has a value: a notice that fails on the day it is due is what parsing prevents.
// The SMS gateway's URL and body templates (channels.sms), rendered with JSON and URL
// escaping, go the same way.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.hpp"
#include "notify/sms.hpp"
#include "notify/template.hpp"
#include "notify/template_catalog.hpp"

namespace {

using namespace cobrador;

void notice_template(fuzz::Input& input) {
  // The first line names the catalog entry; anything else picks one by its length.
  const auto names = notify::template_names();
  const auto wanted = input.line();
  const auto name = notify::is_template_name(wanted) ? wanted : names[wanted.size() % names.size()];
  const std::string value(input.line());
  auto parsed =
      notify::Template::parse(input.rest(), std::string(name) + ".txt", notify::template_variables(name));
  if (!parsed) return;
  notify::Variables values;
  for (const auto variable : notify::template_variables(name)) values.emplace(variable, value);
  fuzz::require(parsed->render(values).ok(), "a parsed template that does not render with every variable");
}

void sms_gateway(fuzz::Input& input) {
  notify::SmsConfig config;
  config.url = input.line();
  config.method = input.line();
  config.auth_header = input.line();
  notify::SmsMessage message;
  message.phone = input.line();
  message.text = input.line();
  message.idempotency_key = input.line();
  config.body = input.rest();
  auto gateway = notify::SmsGateway::configure(config);
  if (!gateway) return;
  (void)gateway->request(message);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::Input input(data, size);
  if (input.byte() & 1)
    sms_gateway(input);
  else
    notice_template(input);
  return 0;
}
