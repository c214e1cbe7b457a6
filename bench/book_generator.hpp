// Generates a realistic book with a fixed seed: 200,000 customers, 1,000,000 invoices, about
// 12% of customers overdue at spread ages, written straight into a cobrador SQLite file.
#pragma once

#include <string>

#include "domain/date.hpp"

namespace cobrador::bench {

struct BookShape {
  int customers = 200'000;
  int invoices_per_customer = 5;
  unsigned seed = 42;
};

// Writes the book into a new database at `path`.
void generate_book(const std::string& path, const BookShape& shape);

}  // namespace cobrador::bench
