// Implements the import of customers, services, invoices and payments: rows are checked
// first (every bad field reported with its row), then written in one transaction, then the
// customers whose data changed are reconsidered, so a file that settles a debt ends the
// episode at once.
#include "service/import.hpp"

#include <chrono>
#include <set>
#include <stdexcept>
#include <thread>
#include <variant>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "service/billing.hpp"
#include "service/import_rows.hpp"
#include "util/enum_names.hpp"
#include "util/text_file.hpp"

namespace cobrador::service {

namespace {

using Row = ImportRow;

// Collects the problems of one file; each becomes "FILE:ROW: field: problem".
struct RowErrors {
  const std::string& label;
  std::vector<std::string> lines;
  void add(const Row& row, const std::string& field, const std::string& problem) {
    lines.push_back(fmt::format("{}:{}: {}: {}", label, row.line, field, problem));
  }
  void add(const Row& row, const FieldProblems& problems) {
    for (const auto& p : problems) add(row, p.field, p.problem);
  }
};

std::string field(const Row& row, const std::string& name) {
  const auto found = row.fields.find(name);
  return found == row.fields.end() ? std::string() : found->second;
}

// What a row of each kind becomes; check_rows() and upsert() build it the same way.
using Entity = std::variant<Customer, Service, Invoice, Payment>;

Entity entity_from(ImportKind kind, const Fields& fields, FieldProblems& problems) {
  switch (kind) {
    case ImportKind::customers:
      return customer_from(fields, problems);
    case ImportKind::services:
      return service_from(fields, problems);
    case ImportKind::invoices:
      return invoice_from(fields, problems);
    case ImportKind::payments:
      return payment_from(fields, problems);
  }
  throw std::logic_error("unknown import kind");  // every kind has its case: only a cast gets here
}

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
// Spelled out for clang before 17, which does not deduce an aggregate's arguments (P1816).
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

// Writes one row through the same service functions as the HTTP API.
Result<store::UpsertOutcome> upsert(store::BillingStore& store, ImportKind kind, const Row& row, Instant now,
                                    const Origin& origin) {
  FieldProblems ignored;  // check_rows() has refused every row with a problem already
  return std::visit(Overloaded{
                        [&](const Customer& c) { return put_customer(store, c, now, origin); },
                        [&](const Service& s) { return put_service(store, s, now, origin); },
                        [&](const Invoice& i) { return put_invoice(store, i, now, origin); },
                        [&](const Payment& p) { return put_payment(store, p, now, origin); },
                    },
                    entity_from(kind, row.fields, ignored));
}

// Checks every row before anything is written, so that all problems are listed at once.
std::vector<std::string> check_rows(ImportKind kind, const std::vector<Row>& rows, const std::string& label) {
  RowErrors errors{label, {}};
  std::set<std::string> ids;
  for (const auto& row : rows) {
    FieldProblems problems;
    entity_from(kind, row.fields, problems);
    errors.add(row, problems);
    const auto id = field(row, "id");
    if (!id.empty() && !ids.insert(id).second)
      errors.add(row, "id", fmt::format("'{}' appears twice in the file", id));
  }
  return errors.lines;
}

// The writing goes in chunks, each its own transaction: a file of a million rows never holds
// the database's write lock for more than about kChunkTime at once, and the daemon's API
// writes get in between (docs/import.md, *Large files*). Every row is an idempotent upsert, so
// a file stopped between chunks (a refusal of the store, a crash) is completed by importing it
// again.
constexpr auto kChunkTime = std::chrono::milliseconds{250};
constexpr std::size_t kRowsPerClockLook = 256;
constexpr auto kPauseBetweenChunks = std::chrono::milliseconds{5};

// What a refusal in the chunk that starts at rows[chunk] leaves behind: nothing in the first
// chunk, else the chunks before it.
std::string written_before(const std::vector<Row>& rows, std::size_t chunk, const std::string& label) {
  if (chunk == 0) return "";
  return fmt::format(
      "; the rows before {}:{} were imported (importing the file again changes nothing of them)", label,
      rows[chunk].line);
}

std::string joined(const std::vector<std::string>& lines, std::size_t most = 20) {
  std::string out;
  for (std::size_t i = 0; i < lines.size() && i < most; ++i) out += (i ? "\n" : "") + lines[i];
  if (lines.size() > most) out += fmt::format("\n... and {} more problems", lines.size() - most);
  return out;
}

}  // namespace

std::optional<ImportKind> parse_import_kind(std::string_view word) {
  static constexpr EnumName<ImportKind> kNames[]{{ImportKind::customers, "customers"},
                                                 {ImportKind::services, "services"},
                                                 {ImportKind::invoices, "invoices"},
                                                 {ImportKind::payments, "payments"}};
  return value_named(kNames, word);
}

Result<ImportReport> import_text(store::Store& store, const policy::Policy& policy, ImportKind kind,
                                 const std::string& text, const std::string& label, Instant now,
                                 const std::string& actor, const Progress& progress) {
  auto rows = read_import_rows(text, label, columns_of(kind));
  if (!rows) return rows.error();
  if (const auto problems = check_rows(kind, *rows, label); !problems.empty())
    return make_error(joined(problems));

  ImportReport report;
  std::size_t next = 0;
  while (next < rows->size()) {
    std::set<std::int64_t> touched;
    const auto chunk = next;
    const auto started = std::chrono::steady_clock::now();
    store.begin();
    try {
      do {
        const auto& row = (*rows)[next];
        auto outcome = upsert(store, kind, row, now, Origin{actor, fmt::format("{}:{}", label, row.line)});
        if (!outcome) {
          store.rollback();
          return make_error(fmt::format("{}:{}: {}{}", label, row.line, outcome.error().message,
                                        written_before(*rows, chunk, label)));
        }
        ++next;
        ++report.rows;
        if (outcome->what == store::Upsert::unchanged) {
          ++report.unchanged;
          continue;
        }
        ++(outcome->what == store::Upsert::inserted ? report.inserted : report.updated);
        touched.insert(outcome->customer_id);
      } while (next < rows->size() &&
               (next % kRowsPerClockLook != 0 || std::chrono::steady_clock::now() - started < kChunkTime));
      // A changed invoice or payment may leave nothing overdue: the episode ends now, not later.
      settle(store, policy, touched, now, actor);
      store.commit();
      if (progress) progress(next, rows->size());
    } catch (...) {
      store.rollback();
      throw;
    }
    // Room for the daemon's writes, which wait for the lock (SQLite) in steps of a millisecond.
    if (next < rows->size()) std::this_thread::sleep_for(kPauseBetweenChunks);
  }
  return report;
}

Result<ImportReport> import_file(store::Store& store, const policy::Policy& policy, ImportKind kind,
                                 const std::string& path, Instant now, const std::string& actor,
                                 TextEncoding encoding, const Progress& progress) {
  const auto text = read_text_file(path);
  if (!text) return make_error(fmt::format("{}: cannot be read", path));
  return import_text(store, policy, kind, to_utf8(*text, encoding), path, now, actor, progress);
}

}  // namespace cobrador::service
