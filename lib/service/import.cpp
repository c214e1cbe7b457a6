// Implements the import of customers, services, invoices and payments. The file is read twice,
// a piece at a time: once to check every row (every bad field reported with its row, nothing
// written), once to write the rows in chunks. Then each customer whose data changed is decided
// again once, which ends an episode the file settled and sets the customer's next evaluation
// day, so that the next walk looks only at the customers who can have something due.
#include "service/import.hpp"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <functional>
#include <memory>
#include <span>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <unordered_set>
#include <variant>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "service/billing.hpp"
#include "service/import_rows.hpp"
#include "util/read_ahead.hpp"
#include "walk/walk.hpp"
#include "util/enum_names.hpp"

namespace cobrador::service {

namespace {

using Row = ImportRow;

// Opens the file being imported, once for each reading of it.
using OpenFile = std::function<std::unique_ptr<std::istream>()>;

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

// A row of a checked file, parsed on the reading thread, ready to be written: with the words
// of its audit row, which are half the work of writing it.
struct ParsedRow {
  std::size_t line = 0;
  Entity entity;
  std::string where;  // "FILE:ROW", the audit's origin
  ChangeNote note;    // all but a payment's, whose subject is read with its invoice
};

ParsedRow parsed_row(ImportKind kind, const Row& row, const std::string& label) {
  FieldProblems ignored;  // check_file refused every row with a problem already
  ParsedRow parsed{
      row.line, entity_from(kind, row.fields, ignored), fmt::format("{}:{}", label, row.line), {}};
  std::visit(Overloaded{
                 [&](const Payment&) {},
                 [&](const auto& entity) { parsed.note = change_note(entity, parsed.where); },
             },
             parsed.entity);
  return parsed;
}

// Writes one row through the same service functions as the HTTP API.
Result<store::UpsertOutcome> upsert(store::BillingStore& store, const ParsedRow& row, Instant now,
                                    const std::string& actor) {
  return std::visit(Overloaded{
                        [&](const Payment& p) {
                          return put_payment(store, p, now, Origin{actor, row.where});
                        },
                        [&](const auto& entity) { return put_noted(store, entity, now, actor, row.note); },
                    },
                    row.entity);
}

// Rows are read and written a piece at a time, so that memory does not grow with the file.
constexpr std::size_t kRowsPerPiece = 4096;
// Problems kept for the message (by line); the rest are counted.
constexpr std::size_t kProblemsKept = 10'000;
constexpr std::size_t kProblemsShown = 20;

// The problems of one file, in file order, as "FILE:ROW: field: problem".
class Problems {
 public:
  explicit Problems(const std::string& label) : label_(label) {}
  void add(std::size_t line, const std::string& field, const std::string& problem) {
    if (kept_.size() < kProblemsKept)
      kept_.emplace_back(line, fmt::format("{}:{}: {}: {}", label_, line, field, problem));
    ++total_;
  }
  void add(const Row& row, const FieldProblems& problems) {
    for (const auto& p : problems) add(row.line, p.field, p.problem);
  }
  bool empty() const { return total_ == 0; }
  std::string message() {
    std::stable_sort(kept_.begin(), kept_.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::string out;
    for (std::size_t i = 0; i < kept_.size() && i < kProblemsShown; ++i)
      out += (i ? "\n" : "") + kept_[i].second;
    if (total_ > kProblemsShown) out += fmt::format("\n... and {} more problems", total_ - kProblemsShown);
    return out;
  }

 private:
  const std::string& label_;
  std::vector<std::pair<std::size_t, std::string>> kept_;
  std::size_t total_ = 0;
};

// Finds ids that appear twice in a file without holding every id: a 64-bit hash and the line
// of each row, sorted; only rows whose hash came twice are read again and compared by id.
class DuplicateIds {
 public:
  void add(std::string_view id, std::size_t line) {
    if (!id.empty()) seen_.emplace_back(std::hash<std::string_view>{}(id), line);
  }
  // The hashes seen more than once (nearly always a real duplicate).
  std::unordered_set<std::size_t> suspects() {
    std::sort(seen_.begin(), seen_.end());
    std::unordered_set<std::size_t> twice;
    for (std::size_t i = 1; i < seen_.size(); ++i)
      if (seen_[i].first == seen_[i - 1].first) twice.insert(seen_[i].first);
    seen_.clear();
    seen_.shrink_to_fit();
    return twice;
  }

 private:
  std::vector<std::pair<std::size_t, std::size_t>> seen_;
};

// The rows of a file a piece at a time, each row made into an Item on a thread of its own a few
// pieces ahead of the caller: an empty piece at the end of the file, or the reader's error.
template <class Item>
class PiecesAhead {
 public:
  using Make = std::function<Item(Row&&)>;  // called on the reading thread
  using Piece = Result<std::vector<Item>>;

  PiecesAhead(const OpenFile& open, const std::string& label, ImportKind kind, TextEncoding encoding,
              Make make)
      : in_(open()),
        reader_(*in_, label, columns_of(kind), encoding),
        make_(std::move(make)),
        ahead_([this]() -> std::optional<Piece> {
          if (ended_) return std::nullopt;
          auto rows = reader_.next(kRowsPerPiece);
          ended_ = !rows || rows->empty();
          if (!rows) return Piece(rows.error());
          if (rows->empty()) return std::nullopt;
          std::vector<Item> items;
          items.reserve(rows->size());
          for (auto& row : *rows) items.push_back(make_(std::move(row)));
          return Piece(std::move(items));
        }) {}

  Piece next() {
    auto piece = ahead_.next();
    return piece ? std::move(*piece) : Piece(std::vector<Item>{});
  }

 private:
  std::unique_ptr<std::istream> in_;
  ImportRowReader reader_;
  Make make_;
  bool ended_ = false;      // the file is read, or the reader failed
  ReadAhead<Piece> ahead_;  // last: its thread reads the members above
};

// Calls `each` with every row of the file, a piece at a time; the reader's error, if any.
template <class Each>
std::optional<Error> for_each_row(const OpenFile& open, const std::string& label, ImportKind kind,
                                  TextEncoding encoding, Each&& each) {
  PiecesAhead<Row> pieces(open, label, kind, encoding, [](Row&& row) { return std::move(row); });
  for (;;) {
    auto rows = pieces.next();
    if (!rows) return rows.error();
    if (rows->empty()) return std::nullopt;
    for (const auto& row : *rows) each(row);
  }
}

// Checks every row before anything is written, so that all problems are listed at once; the
// number of rows, or the problems.
Result<std::size_t> check_file(const OpenFile& open, const std::string& label, ImportKind kind,
                               TextEncoding encoding) {
  Problems problems(label);
  DuplicateIds ids;
  std::size_t rows = 0;
  auto failed = for_each_row(open, label, kind, encoding, [&](const Row& row) {
    FieldProblems found;
    entity_from(kind, row.fields, found);
    problems.add(row, found);
    ids.add(field(row, "id"), row.line);
    ++rows;
  });
  if (failed) return *failed;
  if (const auto suspects = ids.suspects(); !suspects.empty()) {
    std::unordered_set<std::string> first;
    failed = for_each_row(open, label, kind, encoding, [&](const Row& row) {
      const auto id = field(row, "id");
      if (suspects.count(std::hash<std::string_view>{}(id)) && !first.insert(id).second)
        problems.add(row.line, "id", fmt::format("'{}' appears twice in the file", id));
    });
    if (failed) return *failed;
  }
  if (!problems.empty()) return make_error(problems.message());
  return rows;
}

// The writing goes in chunks, each its own transaction: a file of a million rows never holds
// the database's write lock for more than about kChunkTime at once, and the daemon's API
// writes get in between (docs/import.md, *Checked whole, then written in chunks*). Every row
// is an idempotent upsert, so a file stopped between chunks (a refusal of the store, a crash)
// is completed by importing it again.
constexpr auto kChunkTime = std::chrono::milliseconds{250};
constexpr std::size_t kRowsPerClockLook = 256;
// Touched customers decided together, their snapshots read by one statement per table.
constexpr std::size_t kCustomersPerBatch = 1000;
constexpr auto kPauseBetweenChunks = std::chrono::milliseconds{5};

// Whether the chunk that started at `started` has had its time; the clock is read every
// kRowsPerClockLook rows only.
bool chunk_full(std::size_t rows_in_chunk, std::chrono::steady_clock::time_point started) {
  return rows_in_chunk % kRowsPerClockLook == 0 && std::chrono::steady_clock::now() - started >= kChunkTime;
}

// Writes the rows of a checked file in chunks; the customers whose data changed go to `touched`.
Result<ImportReport> write_file(store::Store& store, ImportKind kind, const OpenFile& open,
                                const std::string& label, TextEncoding encoding, std::size_t total,
                                Instant now, const std::string& actor, const Progress& progress,
                                std::vector<std::int64_t>& touched) {
  ImportReport report;
  PiecesAhead<ParsedRow> parsed(open, label, kind, encoding,
                                [kind, &label](Row&& row) { return parsed_row(kind, row, label); });
  auto rows = parsed.next();
  std::size_t next = 0;
  std::size_t written_up_to = 0;  // the line of the first row of the chunk being written
  while (rows && !rows->empty()) {
    const auto started = std::chrono::steady_clock::now();
    const auto chunk_line = (*rows)[next].line;
    std::vector<std::int64_t> chunk_touched;
    store.begin();
    try {
      for (std::size_t in_chunk = 1; rows && !rows->empty(); ++in_chunk) {
        const auto& row = (*rows)[next];
        auto outcome = upsert(store, row, now, actor);
        if (!outcome) {
          store.rollback();
          return make_error(fmt::format("{}:{}: {}{}", label, row.line, outcome.error().message,
                                        written_up_to == 0
                                            ? ""
                                            : fmt::format("; the rows before {}:{} were imported "
                                                          "(importing the file again changes "
                                                          "nothing of them)",
                                                          label, chunk_line)));
        }
        ++report.rows;
        if (outcome->what == store::Upsert::unchanged) {
          ++report.unchanged;
        } else {
          ++(outcome->what == store::Upsert::inserted ? report.inserted : report.updated);
          chunk_touched.push_back(outcome->customer_id);
        }
        if (++next == rows->size()) {
          rows = parsed.next();
          next = 0;
        }
        if (chunk_full(in_chunk, started)) break;
      }
      store.commit();
    } catch (...) {
      store.rollback();
      throw;
    }
    touched.insert(touched.end(), chunk_touched.begin(), chunk_touched.end());
    written_up_to = chunk_line;
    if (progress) progress(static_cast<std::size_t>(report.rows), total);
    // Room for the daemon's writes, which wait for the lock (SQLite) in steps of a millisecond.
    if (rows && !rows->empty()) std::this_thread::sleep_for(kPauseBetweenChunks);
  }
  if (!rows) return make_error(rows.error().message + " (the file changed while it was imported)");
  return report;
}

// Decides each touched customer again, once, in chunks like the rows'. A crash before this ends
// leaves them as the rows' writing left them: due for the next walk, which decides them then.
void settle_in_chunks(store::Store& store, const policy::Policy& policy, std::vector<std::int64_t> touched,
                      Instant now, const std::string& actor) {
  std::sort(touched.begin(), touched.end());
  touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
  const std::span<const std::int64_t> all(touched);
  for (std::size_t next = 0; next < all.size();) {
    const auto started = std::chrono::steady_clock::now();
    store.begin();
    try {
      // A batch of customers at a time, until the chunk has had its time.
      do {
        const auto batch = all.subspan(next, std::min(kCustomersPerBatch, all.size() - next));
        walk::reconsider_customers(store, policy, batch, now, actor);
        next += batch.size();
      } while (next < all.size() && std::chrono::steady_clock::now() - started < kChunkTime);
      store.commit();
    } catch (...) {
      store.rollback();
      throw;
    }
    if (next < all.size()) std::this_thread::sleep_for(kPauseBetweenChunks);
  }
}

// Imports the file `open` gives (`label` names it in messages), in `encoding`.
Result<ImportReport> import_from(store::Store& store, const policy::Policy& policy, ImportKind kind,
                                 const OpenFile& open, const std::string& label, TextEncoding encoding,
                                 Instant now, const std::string& actor, const Progress& progress) {
  const auto total = check_file(open, label, kind, encoding);
  if (!total) return total.error();
  std::vector<std::int64_t> touched;
  auto report = write_file(store, kind, open, label, encoding, *total, now, actor, progress, touched);
  // The chunks written before a refusal stay written: their customers are decided as well.
  settle_in_chunks(store, policy, std::move(touched), now, actor);
  return report;
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
  const OpenFile open = [&text] { return std::make_unique<std::istringstream>(text); };
  return import_from(store, policy, kind, open, label, TextEncoding::utf8, now, actor, progress);
}

Result<ImportReport> import_file(store::Store& store, const policy::Policy& policy, ImportKind kind,
                                 const std::string& path, Instant now, const std::string& actor,
                                 TextEncoding encoding, const Progress& progress) {
  if (!std::ifstream(path, std::ios::binary)) return make_error(fmt::format("{}: cannot be read", path));
  const OpenFile open = [&path] { return std::make_unique<std::ifstream>(path, std::ios::binary); };
  return import_from(store, policy, kind, open, path, encoding, now, actor, progress);
}

}  // namespace cobrador::service
