// Fuzzes policy.yaml as the daemon, --check-config and `simulate` read it: parse_policy, which
// validates everything and must refuse bad input with "policy.yaml:LINE:COL: message".
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.hpp"
#include "policy/policy.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace cobrador;
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto policy = policy::parse_policy(text, "policy.yaml");
  if (!policy) {
    fuzz::require(policy.error().message.starts_with("policy.yaml"),
                  "a policy error that does not name the file");
  }
  return 0;
}
