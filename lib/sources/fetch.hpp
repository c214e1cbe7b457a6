// A blocking HTTP exchange for the connectors: `cobradorctl sync` and the daemon's sync pass
// read page after page, each page needing the one before, so each request runs to its end on
// an io_context of its own over the shared libcurl client.
#pragma once

#include "sources/source_book.hpp"

namespace cobrador::sources {

// The real Fetch: libcurl through net::HttpClient.
Fetch http_fetch();

}  // namespace cobrador::sources
