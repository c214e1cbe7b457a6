// The first-day benchmark (issue 20): a book of real size imported through `cobradorctl import`
// and walked for the first time. bench/import_bench.sh runs the real programs; this file gives
// it the book and the floors:
//   import_bench generate DIR [CUSTOMERS]  customers.csv, services.csv and invoices.csv (SPEC §8),
//                                          of 200,000 customers unless told (a smaller book tries
//                                          the script out)
//   import_bench floor BEFORE DONE         write into BEFORE the rows an import added to reach
//                                          DONE, with bare prepared statements in one transaction
//   import_bench walk_floor BEFORE DONE DAY
//                                          the same for a walk: select the customers due on DAY by
//                                          the index, read each one's row, open invoices, services
//                                          and open episode, write the rows the walk wrote and
//                                          each customer's next evaluation day, in batches of
//                                          1,000 customers, one transaction each
// Each floor prints one JSON line: seconds, and the rows it wrote.
//
// The book: 200,000 customers with one service each and five monthly invoices (February to
// June 2026, the file in invoice order as billing systems number them, so that every customer
// comes back in five places of the file). The four older invoices are paid; the June one is
// open: for 10% of the customers it fell due 1 to 30 days before 2026-06-15 (the import's
// day), for the others it falls due on that day or up to 29 days after it.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "bench/replay.hpp"
#include "domain/date.hpp"
#include "store/backends/open_store.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "util/allocator.hpp"

using namespace cobrador;

namespace {

constexpr int kMonths = 5;
constexpr double kOverdueShare = 0.10;
const Date kImportDay = *parse_date("2026-06-15");

int generate(const std::string& dir, int book_size) {
  std::filesystem::create_directories(dir);
  std::mt19937_64 random(20);
  std::uniform_int_distribution<int> age(1, 30);
  std::uniform_int_distribution<int> ahead(0, 29);
  std::uniform_real_distribution<double> chance(0.0, 1.0);
  const char* locales[] = {"en", "es", "pt-BR"};
  std::ofstream customers(dir + "/customers.csv");
  std::ofstream services(dir + "/services.csv");
  customers << "id,name,email,phone,locale,customer_since\n";
  services << "id,customer_id,kind,panel,account,recurring_amount,recurring_currency\n";
  std::vector<Date> june_due(static_cast<std::size_t>(book_size) + 1);
  for (int i = 1; i <= book_size; ++i) {
    const Date since = *parse_date("2018-01-01") + date::days{static_cast<int>(chance(random) * 3000)};
    customers << fmt::format("cus-{0},Customer {0},billing{0}@example.com,+55119{0:08},{1},{2}\n", i,
                             locales[i % 3], format_date(since));
    services << fmt::format("svc-{0},cus-{0},hosting,whm1,acct{0},49.90,BRL\n", i);
    june_due[static_cast<std::size_t>(i)] = chance(random) < kOverdueShare
                                                ? kImportDay - date::days{age(random)}
                                                : kImportDay + date::days{ahead(random)};
  }
  std::ofstream invoices(dir + "/invoices.csv");
  invoices << "id,customer_id,services,amount,currency,issued_on,due_on,status\n";
  for (int m = 0; m < kMonths; ++m) {
    const bool june = m == kMonths - 1;
    for (int i = 1; i <= book_size; ++i) {
      const Date due = june_due[static_cast<std::size_t>(i)] - date::days{30 * (kMonths - 1 - m)};
      invoices << fmt::format("inv-{}-{},cus-{},svc-{},49.90,BRL,{},{},{}\n", i, m, i, i,
                              format_date(due - date::days{10}), format_date(due), june ? "open" : "paid");
    }
  }
  return 0;
}

std::int64_t max_id(sqlite3* db, const std::string& table) {
  const auto rows = bench::read_rows(db, fmt::format("SELECT COALESCE(MAX(id), 0) FROM {}", table));
  return *rows.integer(0, 0);
}

// The rows of `table` in DONE past BEFORE's last id, and the INSERT that writes them.
struct NewRows {
  std::string insert;
  bench::Rows rows;
};

NewRows new_rows(sqlite3* before, sqlite3* done, const std::string& table) {
  NewRows out;
  out.rows = bench::read_rows(
      done, fmt::format("SELECT * FROM {} WHERE id > {} ORDER BY id", table, max_id(before, table)));
  std::string marks;
  for (int c = 0; c < out.rows.columns; ++c) marks += c ? ", ?" : "?";
  out.insert = fmt::format("INSERT INTO {} VALUES ({})", table, marks);
  return out;
}

// The customers of BEFORE whose next evaluation day DONE changed: (day or NULL, id).
bench::Rows changed_next_eval(sqlite3* before_db, const std::string& done) {
  const auto before = bench::read_rows(before_db, "SELECT id, next_eval FROM customers ORDER BY id");
  store::Database source(done);
  const auto after = bench::read_rows(source.handle(), "SELECT next_eval, id FROM customers ORDER BY id");
  bench::Rows changed;
  changed.columns = 2;
  for (std::size_t b = 0, a = 0; b < before.size() && a < after.size(); ++a) {
    if (after.integer(a, 1) != before.integer(b, 0)) continue;  // a customer DONE added
    if (after.integer(a, 0) != before.integer(b, 1)) {
      changed.text.insert(changed.text.end(), {std::nullopt, std::nullopt});
      changed.integers.insert(changed.integers.end(), {after.integer(a, 0), after.integer(a, 1)});
    }
    ++b;
  }
  return changed;
}

void write(store::Database& db, const NewRows& table, std::size_t from, std::size_t to) {
  auto& stmt = db.prepare(table.insert);
  for (std::size_t r = from; r < to; ++r) {
    bench::bind_row(stmt, table.rows, r);
    stmt.run();
  }
}

void print(double seconds, std::size_t rows, std::size_t customers) {
  std::cout << nlohmann::json{{"seconds", seconds}, {"rows", rows}, {"customers", customers}}.dump() << '\n';
}

int floor(const std::string& before_path, const std::string& done_path) {
  auto store = store::open_store(before_path);  // a new file gets cobrador's schema
  auto& db = static_cast<store::sqlite::SqliteStore&>(*store).database();
  std::vector<NewRows> tables;
  bench::Rows next_eval;
  {
    store::Database done(done_path);
    for (const auto& table : {"customers", "services", "invoices", "audit"})
      tables.push_back(new_rows(db.handle(), done.handle(), table));
    next_eval = changed_next_eval(db.handle(), done_path);
  }
  const auto started = std::chrono::steady_clock::now();
  db.exec("BEGIN IMMEDIATE");
  std::size_t rows = 0;
  for (const auto& table : tables) {
    write(db, table, 0, table.rows.size());
    rows += table.rows.size();
  }
  auto& update = db.prepare("UPDATE customers SET next_eval = ? WHERE id = ?");
  for (std::size_t r = 0; r < next_eval.size(); ++r) {
    bench::bind_row(update, next_eval, r);
    update.run();
  }
  db.exec("COMMIT");
  store.reset();  // its checkpoint, as the import's
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
  print(took.count(), rows, next_eval.size());
  return 0;
}

// Reads what the walk must know of one customer, by the same indexes the store uses.
void read_customer(store::Database& db, std::int64_t id) {
  const auto drain = [](store::sql::Statement& stmt) {
    while (stmt.step()) {
    }
  };
  drain(db.prepare(
              "SELECT ext_id, name, locale, emails, phones, tags, exempt_until FROM customers WHERE id = ?")
            .bind(1, id));
  drain(db.prepare("SELECT id, ext_id, services, amount, currency, due_on FROM invoices "
                   "WHERE customer_id = ? AND status = 'open'")
            .bind(1, id));
  drain(db.prepare("SELECT id, ext_id, kind, panel, account, state FROM services WHERE customer_id = ?")
            .bind(1, id));
  drain(db.prepare("SELECT e.id, r.stage, r.ran_on FROM episodes e LEFT JOIN stage_runs r ON r.episode_id = "
                   "e.id WHERE e.customer_id = ? AND e.ended_at IS NULL")
            .bind(1, id));
}

int walk_floor(const std::string& before_path, const std::string& done_path, const std::string& day) {
  auto store = store::open_store(before_path);
  auto& db = static_cast<store::sqlite::SqliteStore&>(*store).database();
  std::vector<NewRows> tables;
  bench::Rows next_eval;
  NewRows stage_runs;
  {
    store::Database done(done_path);
    tables.push_back(new_rows(db.handle(), done.handle(), "episodes"));
    // stage_runs has no id: the runs of episodes the walk started or went on with, less those
    // BEFORE has.
    const auto known = bench::read_rows(db.handle(), "SELECT episode_id || '/' || stage FROM stage_runs");
    std::set<std::string> had;
    for (std::size_t r = 0; r < known.size(); ++r) had.insert(*known.text[r]);
    const auto all = bench::read_rows(
        done.handle(),
        "SELECT episode_id || '/' || stage, episode_id, stage, ran_on, superseded FROM stage_runs");
    stage_runs.insert = "INSERT INTO stage_runs VALUES (?, ?, ?, ?)";
    stage_runs.rows.columns = 4;
    for (std::size_t r = 0; r < all.size(); ++r) {
      if (had.count(*all.text[r * 5])) continue;
      for (int c = 1; c < 5; ++c) {
        stage_runs.rows.text.push_back(all.text[r * 5 + static_cast<std::size_t>(c)]);
        stage_runs.rows.integers.push_back(all.integers[r * 5 + static_cast<std::size_t>(c)]);
      }
    }
    tables.push_back(std::move(stage_runs));
    for (const auto* table : {"actions", "audit", "alerts"})
      tables.push_back(new_rows(db.handle(), done.handle(), table));
    next_eval = changed_next_eval(db.handle(), done_path);
  }
  // Each batch writes its share of every table's rows, so a stage run may come before its
  // episode: the floor checks no foreign key, as the walk's batches on SQLite do not either
  // (begin_with_own_references). The rows are DONE's whole, so the audit rows carry the
  // customer's id the walk gave them and go into the same index (schema migration 15).
  db.exec("PRAGMA foreign_keys = OFF");

  const auto started = std::chrono::steady_clock::now();
  std::vector<std::int64_t> due;
  auto& select = db.prepare("SELECT id FROM customers WHERE next_eval <= ? ORDER BY id");
  select.bind(1, to_day_number(*parse_date(day)));
  while (select.step()) due.push_back(select.int64(0));
  constexpr std::size_t kBatch = 1000;
  const std::size_t batches = std::max<std::size_t>(1, (due.size() + kBatch - 1) / kBatch);
  auto& update = db.prepare("UPDATE customers SET next_eval = ? WHERE id = ?");
  std::size_t rows = 0;
  for (std::size_t b = 0; b < batches; ++b) {
    db.exec("BEGIN IMMEDIATE");
    for (std::size_t i = b * kBatch; i < std::min(due.size(), (b + 1) * kBatch); ++i)
      read_customer(db, due[i]);
    // Each batch writes its share of the walk's rows, in the walk's order.
    for (const auto& table : tables) {
      const auto n = table.rows.size();
      write(db, table, n * b / batches, n * (b + 1) / batches);
      rows += n * (b + 1) / batches - n * b / batches;
    }
    const auto n = next_eval.size();
    for (std::size_t r = n * b / batches; r < n * (b + 1) / batches; ++r) {
      bench::bind_row(update, next_eval, r);
      update.run();
    }
    db.exec("COMMIT");
  }
  store.reset();
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
  print(took.count(), rows, due.size());
  return 0;
}

}  // namespace

int main(int argc, char** argv) try {
  tune_allocator();
  const std::string verb = argc > 1 ? argv[1] : "";
  if (verb == "generate" && (argc == 3 || argc == 4))
    return generate(argv[2], argc == 4 ? std::stoi(argv[3]) : 200'000);
  if (verb == "floor" && argc == 4) return floor(argv[2], argv[3]);
  if (verb == "walk_floor" && argc == 5) return walk_floor(argv[2], argv[3], argv[4]);
  std::cerr
      << "usage: import_bench generate DIR [CUSTOMERS] | floor BEFORE DONE | walk_floor BEFORE DONE DAY\n";
  return 2;
} catch (const std::exception& e) {
  std::cerr << "import_bench: " << e.what() << '\n';
  return 1;
}
