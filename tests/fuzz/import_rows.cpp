// Fuzzes the rows of `cobradorctl import customers|services|invoices|payments FILE` (CSV with
// a header, or JSON lines): read_import_rows, then each row checked into its entity as the
// import does before it writes anything. A row accepted here is stored and later answered as
// JSON, so its fields must always turn into JSON (issue 19: a Latin-1 name made the API and
// `list unmatched --json` abort).
#include <cstddef>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "fuzz_support.hpp"
#include "http/entity_json.hpp"
#include "service/entity_fields.hpp"
#include "service/import_rows.hpp"

namespace {

using namespace cobrador;

// The entity of one row as JSON, as GET /v1/customers/{id} (and the CLI's --json) writes it;
// an invoice is answered with its balance, so its fields stand for it.
nlohmann::json row_json(service::ImportKind kind, const service::Fields& fields,
                        service::FieldProblems& problems) {
  switch (kind) {
    case service::ImportKind::customers:
      return http::customer_json(service::customer_from(fields, problems));
    case service::ImportKind::services:
      return http::service_json(service::service_from(fields, problems));
    case service::ImportKind::invoices:
      (void)service::invoice_from(fields, problems);
      return nlohmann::json(fields);
    case service::ImportKind::payments:
      return http::payment_json(service::payment_from(fields, problems));
  }
  return nullptr;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::Input input(data, size);
  const auto kind = static_cast<service::ImportKind>(input.byte() % 4);
  const std::string text(input.rest());
  auto rows = service::read_import_rows(text, "import.csv", service::columns_of(kind));
  if (!rows) return 0;
  for (const auto& row : *rows) {
    service::FieldProblems problems;
    const auto json = row_json(kind, row.fields, problems);
    if (problems.empty()) (void)json.dump();
  }
  return 0;
}
