// Builds the adapter a panel's config asks for, checking that the config has what that
// adapter needs. Errors name the panel and the missing or bad key, never a secret's value.
#pragma once

#include <boost/asio/io_context.hpp>

#include <memory>
#include <string>

#include "net/http_client.hpp"
#include "hooks/panel.hpp"
#include "hooks/panel_config.hpp"
#include "util/result.hpp"

namespace cobrador::hooks {

// `http` and `io` must outlive the panel and every call it has in flight; `now` is the
// daemon's clock (util/clock), used for webhook timestamps and Retry-After dates.
Result<std::unique_ptr<Panel>> make_panel(const std::string& name, const PanelConfig& config,
                                          net::HttpClient& http, boost::asio::io_context& io, Now now);

}  // namespace cobrador::hooks
