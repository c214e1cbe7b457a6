// Implements service/sync_passes.hpp.
#include "service/sync_passes.hpp"

#include <nlohmann/json.hpp>

namespace cobrador::service {

std::string source_subject(const std::string& name) { return "source:" + name; }

nlohmann::json sync_pass_counts(const SyncPass& pass) {
  return {{"calls", pass.calls},
          {"rows_read", pass.rows_read},
          {"rows_changed", pass.rows_changed},
          {"customers", pass.customers},
          {"services", pass.services},
          {"invoices", pass.invoices},
          {"written_back", pass.written_back},
          {"returns_reported", pass.returns_reported},
          {"invoices_gone", pass.invoices_gone}};
}

void record_sync_pass(store::AuditTrail& audit, const SyncPass& pass) {
  auto details = sync_pass_counts(pass);
  details["took_ms"] = pass.took.count();
  details["error"] = pass.error;
  const auto subject = source_subject(pass.source);
  audit.begin();
  audit.audit({0, pass.at, subject, subject, "sync_pass",
               details.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)});
  audit.commit();
}

std::optional<SyncPass> last_sync_pass(store::AuditTrail& audit, const std::string& name) {
  const auto entry = audit.last_audit_of(source_subject(name));
  if (!entry || entry->event != "sync_pass") return std::nullopt;
  const auto details = nlohmann::json::parse(entry->details, nullptr, false);
  if (!details.is_object()) return std::nullopt;
  // Read field by field with defaults: a record written by an older cobrador lacks some.
  const auto count = [&details](const char* key) {
    const auto found = details.find(key);
    return found != details.end() && found->is_number_unsigned() ? found->get<std::size_t>() : std::size_t{0};
  };
  SyncPass pass;
  pass.source = name;
  pass.at = entry->at;
  pass.took = std::chrono::milliseconds(count("took_ms"));
  pass.calls = count("calls");
  pass.rows_read = count("rows_read");
  pass.rows_changed = count("rows_changed");
  pass.customers = count("customers");
  pass.services = count("services");
  pass.invoices = count("invoices");
  pass.written_back = count("written_back");
  pass.returns_reported = count("returns_reported");
  pass.invoices_gone = count("invoices_gone");
  if (const auto error = details.find("error"); error != details.end() && error->is_string())
    pass.error = error->get<std::string>();
  return pass;
}

}  // namespace cobrador::service
