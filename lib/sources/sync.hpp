// One sync pass (docs/connectors.md): read a billing system's book and write it through the
// import use case, as `cobradorctl import` would, then write down how the pass went in the
// audit trail ("source:<name>", event sync_pass), where `sync --status` and /metrics read it.
#pragma once

#include <string>

#include "config/config.hpp"
#include "policy/policy.hpp"
#include "service/sync_passes.hpp"
#include "sources/source_book.hpp"
#include "store/store.hpp"

namespace cobrador::sources {

using service::SyncPass;

// Runs one pass of the source `name` of `config`. A pass that fails while reading writes
// nothing; the import writes whole files, customers then services then invoices, each
// idempotent (docs/connectors.md). With `dry_run` the book is read and nothing is written,
// not even the pass. `took` counts the clock between `now`'s reading and the end of the pass.
SyncPass sync_source(store::Store& store, const policy::Policy& policy, const config::Config& config,
                     const std::string& name, Instant now, bool dry_run, const Fetch& fetch);
}  // namespace cobrador::sources
