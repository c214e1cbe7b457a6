// Implements sources/fetch.hpp.
#include "sources/fetch.hpp"

#include <boost/asio/io_context.hpp>

#include <memory>

namespace cobrador::sources {

Fetch http_fetch() {
  // One io_context and client for every request of a pass: libcurl keeps the connection to the
  // billing system open between pages.
  struct Client {
    boost::asio::io_context io;
    net::HttpClient http{io};
  };
  auto client = std::make_shared<Client>();
  return [client](net::HttpRequest request) {
    net::HttpResponse answer;
    client->http.perform(std::move(request),
                         [&answer](net::HttpResponse response) { answer = std::move(response); });
    client->io.restart();
    client->io.run();
    return answer;
  };
}

}  // namespace cobrador::sources
