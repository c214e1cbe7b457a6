// Implements sources/sync.hpp.
#include "sources/sync.hpp"

#include <tuple>
#include <unordered_set>

#include <fmt/format.h>

#include "bank/return_reasons.hpp"
#include "policy/write_back.hpp"
#include "service/import.hpp"
#include "sources/fossbilling_reader.hpp"
#include "sources/whmcs_reader.hpp"

namespace cobrador::sources {

namespace {

using nlohmann::json;

Result<SourceAccess> access_of(const config::Config& config, const std::string& name) {
  const auto found = config.sources.find(name);
  // Callers name sources of the file (`cobradorctl sync` says which exist when one does not).
  if (found == config.sources.end())
    return make_error(fmt::format("there is no source '{}' in {}", name, config.file));
  SourceAccess access{name, found->second, {}, {}};
  if (!access.config.identifier_file.empty()) {
    auto identifier = config::read_secret(config, access.config.identifier_file);
    if (!identifier) return make_error(fmt::format("source '{}': {}", name, identifier.error().message));
    access.identifier = *identifier;
  }
  auto secret = config::read_secret(config, access.config.secret_file);
  if (!secret) return make_error(fmt::format("source '{}': {}", name, secret.error().message));
  access.secret = *secret;
  return access;
}

// Writes the book through the import use case: customers before the services and invoices
// that name them.
Status write_book(store::Store& store, const policy::Policy& policy, const SourceBook& book,
                  const std::string& name, Instant now, SyncPass& pass) {
  const std::pair<service::ImportKind, const ImportRows*> files[] = {
      {service::ImportKind::customers, &book.customers},
      {service::ImportKind::services, &book.services},
      {service::ImportKind::invoices, &book.invoices},
      {service::ImportKind::payments, &book.payments}};
  for (const auto& [kind, rows] : files) {
    if (rows->count == 0) continue;
    const auto label = fmt::format("source {} {}", name,
                                   kind == service::ImportKind::customers  ? "customers"
                                   : kind == service::ImportKind::services ? "services"
                                   : kind == service::ImportKind::invoices ? "invoices"
                                                                           : "payments");
    const auto report =
        service::import_text(store, policy, kind, rows->text, label, now, service::source_subject(name));
    if (!report) return report.error();
    pass.rows_changed += static_cast<std::size_t>(report->inserted + report->updated);
  }
  return Ok{};
}

// Queues the write-back of every bank payment of the source's invoices not queued yet, and the
// report of every return of one written back (policy/write_back.hpp); the outbox keys make each
// once, whatever the passes.
std::pair<std::size_t, std::size_t> queue_write_backs(store::Store& store, const SourceAccess& source,
                                                      Instant now) {
  const auto& panel = source.config.payments_to;
  if (panel.empty()) return {0, 0};
  const auto& gateway = source.config.payment_gateway;
  store.begin();
  try {
    const auto prefix = source_id(source.name, "");
    std::size_t payments = 0;
    for (const auto& payment : store.payments_to_write_back(prefix, panel)) {
      const auto action = policy::write_back_action(payment, source.name, panel, gateway, now);
      if (store.add_action(action, now, fmt::format("bank payment written back to {}", source.name)))
        ++payments;
    }
    std::size_t returns = 0;
    for (const auto& returned : store.returns_to_write_back(prefix, panel)) {
      const auto action = policy::return_write_back_action(
          returned, bank::describe_return_reason(returned.reason), source.name, panel, gateway, now);
      if (store.add_action(action, now, fmt::format("returned debit reported to {}", source.name))) ++returns;
    }
    store.commit();
    return {payments, returns};
  } catch (...) {
    store.rollback();
    throw;
  }
}

// The row that voids `invoice`, as the import reads it.
json void_row(const Invoice& invoice) {
  json row{{"id", invoice.ext_id},
           {"customer_id", invoice.customer_ext_id},
           {"amount", format_amount(invoice.amount)},
           {"currency", std::string(invoice.amount.currency.code())},
           {"due_on", format_date(invoice.due_on)},
           {"status", "void"}};
  if (invoice.issued_on <= invoice.due_on) row["issued_on"] = format_date(invoice.issued_on);
  if (!invoice.services.empty()) row["services"] = fmt::format("{}", fmt::join(invoice.services, ";"));
  return row;
}

// An open invoice of the source that the pass did not read may have been deleted in the billing
// system (by hand, or FOSSBilling's "Remove Unpaid Invoices After"): each is asked for, and one
// the billing system says it does not have is voided here through the same import (its episode
// ends), audited as the source's. One a page shifted out of this pass is still there and stays
// as it is; so does one whose question failed.
std::size_t void_gone_invoices(store::Store& store, const SourceAccess& source, const Fetch& fetch,
                               SourceBook& book) {
  const std::unordered_set<std::string> read(book.invoices.ids.begin(), book.invoices.ids.end());
  std::size_t gone = 0;
  for (const auto& id : store.open_invoice_ids(source_id(source.name, ""))) {
    const auto own = own_id(id, source.name);
    if (read.count(id) || !own) continue;
    const std::string number(*own);
    ++book.calls;
    const auto has = source.config.type == "whmcs" ? whmcs_has_invoice(source, fetch, number)
                                                   : fossbilling_has_invoice(source, fetch, number);
    if (!has || *has) continue;
    const auto invoice = store.invoice(id);
    if (!invoice) continue;
    book.invoices.add(void_row(invoice->invoice));
    ++gone;
  }
  return gone;
}

// The payment rows without those cobrador wrote back itself: their transaction id is a bank
// entry's, whose payment is here already.
void drop_written_back(store::Store& store, ImportRows& payments) {
  if (payments.count == 0) return;
  ImportRows kept;
  for (auto& row : payments.rows()) {
    const auto reference = row.find("reference");
    if (reference != row.end() && reference->is_string() &&
        store.bank_entry_recorded(reference->get<std::string>()))
      continue;
    kept.add(row);
  }
  payments = std::move(kept);
}

// The invoice rows without those of `held`: the billing system still says paid what the bank
// returned, until the return's report reached it (the next pass reads it owed again).
void drop_invoices(ImportRows& invoices, const std::vector<std::string>& held) {
  if (held.empty()) return;
  const std::unordered_set<std::string> ids(held.begin(), held.end());
  ImportRows kept;
  for (auto& row : invoices.rows()) {
    const auto id = row.find("id");
    if (id != row.end() && id->is_string() && ids.count(id->get<std::string>())) continue;
    kept.add(row);
  }
  invoices = std::move(kept);
}

}  // namespace

SyncPass sync_source(store::Store& store, const policy::Policy& policy, const config::Config& config,
                     const std::string& name, Instant now, bool dry_run, const Fetch& fetch) {
  const auto started = std::chrono::steady_clock::now();
  SyncPass pass;
  pass.source = name;
  pass.at = now;
  pass.dry_run = dry_run;
  const auto access = access_of(config, name);
  if (!access) {
    pass.error = access.error().message;
    return pass;  // not a pass of a source that exists: nothing to write down
  }
  auto book = access->config.type == "whmcs" ? read_whmcs(*access, fetch) : read_fossbilling(*access, fetch);
  if (book) {
    pass.customers = book->customers.count;
    pass.services = book->services.count;
    pass.invoices = book->invoices.count;
    pass.rows_read = book->rows();
    pass.invoices_gone = void_gone_invoices(store, *access, fetch, *book);
    pass.calls = book->calls;
    if (!access->config.payments_to.empty())
      drop_invoices(book->invoices,
                    store.invoices_returned_unheard(source_id(name, ""), access->config.payments_to));
    drop_written_back(store, book->payments);
    if (!dry_run)
      if (const auto written = write_book(store, policy, *book, name, now, pass); !written)
        pass.error = fmt::format("source '{}': {}", name, written.error().message);
  } else {
    pass.error = book.error().message;
  }
  // Money the bank confirmed flows back whether or not the book could be read.
  if (!dry_run) std::tie(pass.written_back, pass.returns_reported) = queue_write_backs(store, *access, now);
  pass.took =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  if (!dry_run) service::record_sync_pass(store, pass);
  return pass;
}

}  // namespace cobrador::sources
