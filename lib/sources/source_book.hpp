// What one pass read from a billing system (docs/connectors.md): the book as rows of the import
// files (SPEC §8 field names, one JSON object a row), ready for the import use case, which
// writes them as `cobradorctl import` does.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/config.hpp"
#include "net/http_client.hpp"
#include "util/result.hpp"

namespace cobrador::sources {

struct SourceBook {
  std::vector<nlohmann::json> customers;
  std::vector<nlohmann::json> services;
  std::vector<nlohmann::json> invoices;
  std::size_t calls = 0;  // API calls the pass made

  std::size_t rows() const { return customers.size() + services.size() + invoices.size(); }
};

// One source as a reader sees it: its name (the prefix of every id it gives), its settings, and
// its credentials read from the secrets folder.
struct SourceAccess {
  std::string name;
  config::SourceConfig config;
  std::string identifier;  // whmcs: the API credential's identifier
  std::string secret;      // whmcs: its secret; fossbilling: the admin API key
};

// Sends one request and waits for the answer (sources/fetch.hpp gives the real one).
using Fetch = std::function<net::HttpResponse(net::HttpRequest)>;

// The id a source's record gets here: "<source>:<its id>", so that two sources, or a source
// and a CSV feed, never share one.
inline std::string source_id(const std::string& source, const std::string& id) { return source + ":" + id; }

}  // namespace cobrador::sources
