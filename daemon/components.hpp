// The parts cobradord runs on its loop besides the scheduler: the HTTP API and the dispatcher.
#pragma once

#include "daemon/runtime.hpp"

namespace cobrador::daemon {

std::unique_ptr<Component> make_http_component(const Services& services);
std::unique_ptr<Component> make_dispatch_component(const Services& services);

}  // namespace cobrador::daemon
