// A request as Beast parsed it, turned into the API's own Request (http/api.hpp): the one
// place that reads Beast's message, for the server's sessions and the API's fuzz target.
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "http/api.hpp"

namespace cobrador::http {

// Method, target split into path and query, header names lower-cased, the body moved out.
Request to_request(boost::beast::http::request<boost::beast::http::string_body>&& message);

}  // namespace cobrador::http
