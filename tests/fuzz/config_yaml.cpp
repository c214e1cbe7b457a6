// Fuzzes cobrador.yaml as the daemon and cobradorctl read it: parse_config, which validates
// every section and must refuse bad input with "cobrador.yaml:LINE:COL: message". Nothing is
// read from the files the configuration names.
#include <cstddef>
#include <cstdint>
#include <string>

#include "config/config.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace cobrador;
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto config = config::parse_config(text, "/etc/cobrador/cobrador.yaml");
  if (!config) {
    fuzz::require(config.error().message.starts_with("/etc/cobrador/cobrador.yaml"),
                  "a configuration error that does not name the file");
  }
  return 0;
}
