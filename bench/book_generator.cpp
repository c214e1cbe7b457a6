// Implements the book generator. Customers are billed monthly (most on the 1st, some on the
// 10th or 20th); invoices run from February to June 2026. About 12% did not pay June, and a
// shrinking share of those also owe May, April and March, so overdue ages are spread from a
// few days to four months.
#include "bench/book_generator.hpp"

#include <random>

#include <fmt/format.h>

#include "store/sqlite/sqlite_store.hpp"

namespace cobrador::bench {

void generate_book(const std::string& path, const BookShape& shape) {
  store::sqlite::SqliteStore store(path);
  auto& db = store.database();
  std::mt19937_64 random(shape.seed);
  std::uniform_real_distribution<double> chance(0.0, 1.0);
  const char* locales[] = {"en", "es", "pt-BR"};
  db.exec("BEGIN");
  auto& customer = db.prepare(
      "INSERT INTO customers (ext_id, name, emails, phones, locale, customer_since, tags) VALUES (?, ?, ?, "
      "?, ?, ?, '')");
  auto& service = db.prepare(
      "INSERT INTO services (ext_id, customer_id, kind, panel, account) VALUES (?, ?, 'hosting', 'whm1', ?)");
  auto& invoice = db.prepare(
      "INSERT INTO invoices (ext_id, customer_id, services, amount, currency, issued_on, due_on, status) "
      "VALUES (?, ?, ?, 4990, 'BRL', ?, ?, ?)");
  for (int i = 1; i <= shape.customers; ++i) {
    const std::string id = fmt::format("cus-{}", i);
    const Date since = *parse_date("2018-01-01") + date::days{static_cast<int>(chance(random) * 3000)};
    customer.bind(1, id)
        .bind(2, fmt::format("Customer {}", i))
        .bind(3, fmt::format("billing{}@example.com", i));
    customer.bind(4, fmt::format("+55119{:08}", i))
        .bind(5, locales[i % 3])
        .bind(6, to_day_number(since))
        .run();
    const auto customer_id = db.last_insert_rowid();
    const std::string svc = fmt::format("svc-{}", i);
    service.bind(1, svc).bind(2, customer_id).bind(3, fmt::format("acct{}", i)).run();

    const double billing = chance(random);
    const int billing_day = billing < 0.9 ? 1 : billing < 0.95 ? 10 : 20;
    // How many of the latest invoices are unpaid: 0 for ~90%, then 1, 2, 3 or 4.
    const double late = chance(random);
    const int unpaid = late >= 0.125 ? 0 : late >= 0.02 ? 1 : late >= 0.01 ? 2 : late >= 0.005 ? 3 : 4;
    for (int m = 0; m < shape.invoices_per_customer; ++m) {
      const auto month =
          date::year{2026} / date::month{static_cast<unsigned>(6 - shape.invoices_per_customer + 1 + m)};
      const Date due = date::sys_days{month / date::day{static_cast<unsigned>(billing_day)}};
      const bool open = m >= shape.invoices_per_customer - unpaid;
      invoice.bind(1, fmt::format("inv-{}-{}", i, m)).bind(2, customer_id).bind(3, svc);
      invoice.bind(4, to_day_number(due - date::days{10}))
          .bind(5, to_day_number(due))
          .bind(6, open ? "open" : "paid")
          .run();
    }
  }
  db.exec("COMMIT");
}

}  // namespace cobrador::bench
