// The console's one stylesheet, shipped in the binary (no CDN, nothing fetched from elsewhere):
// readable at 1280 px and on a phone, visible keyboard focus, print without the navigation.
#pragma once

#include <string_view>

namespace cobrador::web {

std::string_view console_css();

}  // namespace cobrador::web
