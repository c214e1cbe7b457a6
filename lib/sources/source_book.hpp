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
#include "domain/source_ids.hpp"
#include "net/http_client.hpp"
#include "util/result.hpp"

namespace cobrador::sources {

// Rows of one import file as JSON lines, written as they are read: a pass of 300,000 rows
// holds text, not 300,000 JSON objects.
struct ImportRows {
  std::string text;
  std::size_t count = 0;
  std::vector<std::string> ids;  // each row's id, in order (what a pass read: sources/sync.cpp)

  void add(const nlohmann::json& row) {
    text += row.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    text += '\n';
    ++count;
    const auto id = row.find("id");
    ids.push_back(id != row.end() && id->is_string() ? id->get<std::string>() : std::string());
  }
  // The rows again, for tests and messages.
  std::vector<nlohmann::json> rows() const {
    std::vector<nlohmann::json> out;
    for (std::size_t at = 0; at < text.size();) {
      const auto end = text.find('\n', at);
      out.push_back(nlohmann::json::parse(text.substr(at, end - at)));
      at = end + 1;
    }
    return out;
  }
};

struct SourceBook {
  ImportRows customers;
  ImportRows services;
  ImportRows invoices;
  ImportRows payments;    // what the billing system has on invoices still open (WHMCS only)
  std::size_t calls = 0;  // API calls the pass made

  std::size_t rows() const { return customers.count + services.count + invoices.count + payments.count; }
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

}  // namespace cobrador::sources
