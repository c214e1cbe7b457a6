// The record of a billing system's sync pass (docs/connectors.md), kept in the audit trail as
// "source:<name>" / sync_pass, so that every pass stays provable: written by the connectors
// (lib/sources), read by `cobradorctl sync --status` and /metrics.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "domain/date.hpp"
#include "store/audit_trail.hpp"

namespace cobrador::service {

struct SyncPass {
  std::string source;
  Instant at;  // when it started
  std::chrono::milliseconds took{0};
  std::size_t calls = 0;         // API calls made
  std::size_t rows_read = 0;     // customers, services and invoices read
  std::size_t rows_changed = 0;  // rows the import inserted or changed
  std::size_t customers = 0, services = 0, invoices = 0;
  std::size_t written_back = 0;      // bank payments queued to be recorded in the billing system
  std::size_t returns_reported = 0;  // returns of those queued to be reported there
  std::size_t invoices_gone = 0;     // open invoices the billing system no longer has, voided
  std::string error;                 // empty when the pass went through
  bool dry_run = false;

  bool ok() const { return error.empty(); }
};

// The audit subject of a source's passes: "source:<name>".
std::string source_subject(const std::string& name);

// The pass's counts (calls, rows read and changed, customers, services, invoices, written_back,
// returns_reported, invoices_gone) as JSON: one list of them for the audit record and for
// `cobradorctl sync`, so that a count added is written and shown alike.
nlohmann::json sync_pass_counts(const SyncPass& pass);

// Writes the pass down in a transaction of its own.
void record_sync_pass(store::AuditTrail& audit, const SyncPass& pass);

// The last pass written down for the source, if any.
std::optional<SyncPass> last_sync_pass(store::AuditTrail& audit, const std::string& name);

}  // namespace cobrador::service
